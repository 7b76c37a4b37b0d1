"""Employees (expenses.yml): the people an expense is made for. A name and an email, unique by email;
listed, read, created at ``/employees`` and deleted at the singular ``/employee/{employee_id}`` as documented.
"""
from __future__ import annotations

from .. import literals as L
from ..http import BooksAPIError, invalid_value
from .rules import EMAIL, WriteRules, referenced, unique

EMPLOYEE_FIELDS = ("employee_id", "name", "email")
# expenses.yml documents DELETE at /employee/{employee_id} (singular), GET at /employees/{employee_id}
EMPLOYEE_DELETE_PATH = "employee"


class EmployeeRules(WriteRules):
    """Name and email required; the email well formed and not another employee's; one an expense names
    (``employee_id``) is never deleted."""

    schema = {"name": "str", "email": "str"}
    required = ("name", "email")
    messages = {L.DELETED_MESSAGE: "Employee has been deleted."}  # expenses.yml's example

    def apply(self, ctx, rec, data, existing):
        if not EMAIL.match(data["email"]):
            raise invalid_value("email")
        unique(ctx, ("employees",), "email", data["email"], rec.get("employee_id"), "Employee")
        super().apply(ctx, rec, data, existing)

    def check_delete(self, ctx, rec):
        if referenced(ctx, rec["employee_id"], (("expenses", "employee_id"),)):
            raise BooksAPIError(L.HAS_DEPENDENTS, label="Employee")


EMPLOYEE_RULES = EmployeeRules()
