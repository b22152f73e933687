from .accounts import Role, User
from .audit import ExportLog
from .imp import Cadre, Institution
from .register import Couple, CoupleStatus, LeaveReason
from .wilayah import Unit, subtree_q

__all__ = ["Cadre", "ExportLog", "Couple", "CoupleStatus", "Institution", "LeaveReason", "Role", "Unit", "User", "subtree_q"]
