from .accounts import Role, User
from .audit import ExportLog
from .imp import Cadre, Institution
from .outreach import Counselling
from .register import Couple, CoupleStatus, LeaveReason, Service
from .wilayah import Unit, subtree_q

__all__ = ["Cadre", "Counselling", "ExportLog", "Couple", "CoupleStatus", "Institution", "LeaveReason", "Role", "Service", "Unit", "User", "subtree_q"]
