from .accounts import Role, User
from .imp import Cadre, Institution
from .wilayah import Unit

__all__ = ["Cadre", "Institution", "Role", "Unit", "User"]
