from .accounts import Role, User
from .audit import ExportLog
from .imp import Cadre, Institution
from .register import Couple, CoupleStatus, LeaveReason
from .wilayah import Unit

__all__ = ["Cadre", "ExportLog", "Couple", "CoupleStatus", "Institution", "LeaveReason", "Role", "Unit", "User"]
