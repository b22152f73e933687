from .accounts import Role, User
from .imp import Cadre, Institution
from .register import Couple, CoupleStatus, LeaveReason
from .wilayah import Unit

__all__ = ["Cadre", "Couple", "CoupleStatus", "Institution", "LeaveReason", "Role", "Unit", "User"]
