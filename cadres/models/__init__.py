from .accounts import Role, User
from .audit import ExportLog
from .idempotency import IdempotencyKey
from .imp import Cadre, Institution
from .outreach import Counselling
from .register import Couple, CoupleStatus, LeaveReason, Service
from .wilayah import Unit, recount_rts, rts_differences, subtree_q, subtree_sql

__all__ = ["Cadre", "Counselling", "ExportLog", "Couple", "IdempotencyKey", "CoupleStatus", "Institution", "LeaveReason", "Role", "Service", "Unit", "User", "recount_rts", "rts_differences", "subtree_q", "subtree_sql"]
