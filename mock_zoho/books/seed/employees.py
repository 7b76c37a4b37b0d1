"""Employees (expenses.yml): a few people of the organisation, named from the seeding's name pools, with
unique work emails at one of its domains."""
from __future__ import annotations

from .base import Seeder


def gen_employees(sd: Seeder, n: int) -> None:
    if not n:
        return
    taken = {str(e.get("email") or "").lower() for e in sd.existing("employees")}
    domain = sd.pools.domains[0] if sd.pools.domains else "example.com"
    for i in range(n):
        first, last = sd.rng.choice(sd.pools.first_names), sd.rng.choice(sd.pools.last_names)
        local = "".join(ch for ch in f"{first}.{last}".lower() if ch.isalnum() or ch == ".") or "employee"
        email, k = f"{local}@{domain}", 2
        while email in taken:
            email, k = f"{local}{k}@{domain}", k + 1
        taken.add(email)
        d = sd.new("employees")
        d.update(employee_id=sd.ids(), name=f"{first} {last}", email=email)
        sd.stamp(d, sd.start + i)  # _ct/_lmt order the list; an employee shows no timestamps
        del d["created_time"], d["last_modified_time"]
        sd.add("employees", d)
