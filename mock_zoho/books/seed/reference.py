"""Org-level data: currencies, chart of accounts, taxes, reporting tags, items, contacts, bank accounts.

Each generator adds to ``sd.out`` and fills its part of ``sd.refs``, existing records included,
so a re-seed draws on what the org already has.
"""
from __future__ import annotations

from typing import Callable, Collection

from .. import calc
from .. import fakedata as F
from ..fields import DEFAULT_TEMPLATE_KEYS
from ..rules import associated_person
from .base import DAY, PERSON_TEMPLATE, ItemRow, PartyTerms, Seeder, TaxRate, cents


def top_up(cands: list, n: int, taken: Collection[str], name: Callable[[int], str],
           entry: Callable[[str, int], tuple], k: int = 1) -> None:
    """Beyond a catalogue: add generated entries (``name(k)``, k counting up, taken names skipped)
    until there are ``n`` candidates. ``entry`` gets the name and the next k."""
    while len(cands) < n:
        nm = name(k)
        k += 1
        if nm not in taken:
            cands.append(entry(nm, k))


# ---- currencies ----------------------------------------------------------------------------------
def gen_currencies(sd: Seeder, n: int) -> None:
    rng, refs, ed = sd.rng, sd.refs, sd.ed
    base_code = sd.org.get("currency_code") or ed.currency_code
    existing = sd.existing("currencies")
    have = {c["currency_code"] for c in existing}
    base_rec = next((c for c in existing if c.get("is_base_currency")), None)
    codes: list[str] = []
    if base_rec is None and n > 0:
        codes.append(base_code)
    codes += [c for c in F.FOREIGN_ORDER if c != base_code and c not in have and c not in codes]
    codes = codes[:n]
    usd_per_base = F.CURRENCIES.get(base_code, ("", "", "", 1.0))[3]
    refs.currencies = {c["currency_code"]: c for c in existing}
    ct = sd.start - 30 * DAY
    for code in codes:
        name, symbol, fmt, usd = F.CURRENCIES[code]
        is_base = code == base_code and base_rec is None
        if is_base:
            cid = sd.org.get("currency_id") or sd.ids()
            if code == ed.currency_code:
                name, symbol, fmt = ed.currency_name, ed.currency_symbol, ed.currency_format
        else:
            cid = sd.ids()
        d = sd.new("currencies")
        d.update(currency_id=cid, currency_code=code, currency_name=name,
                 currency_symbol=symbol, price_precision=0 if code == "JPY" else 2, currency_format=fmt,
                 is_base_currency=is_base, _ct=float(ct), _lmt=float(ct))
        rates = []
        if is_base:
            d["exchange_rate"], d["effective_date"] = 1.0, ""
        else:
            rate = usd / usd_per_base
            for k in range(6, 0, -1):  # monthly rates over the last half year
                rate *= 1 + rng.uniform(-0.02, 0.02)
                t = sd.now_i - k * 30 * DAY
                rates.append({"exchange_rate_id": sd.ids(), "currency_id": cid, "currency_code": code,
                              "effective_date": sd.dstr(t), "rate": round(rate, 6)})
            d["exchange_rate"], d["effective_date"] = rates[-1]["rate"], rates[-1]["effective_date"]
            d["_lmt"] = float(sd.now_i - 30 * DAY)
        d["_exchange_rates"] = rates
        sd.add("currencies", d)
        refs.currencies[code] = d
    base = refs.currencies.get(base_code)
    refs.base_code = base_code
    refs.base_id = base["currency_id"] if base else (sd.org.get("currency_id") or sd.ids())
    refs.base_symbol = base["currency_symbol"] if base else ed.currency_symbol
    refs.foreign = [c for c in refs.currencies.values() if c["currency_code"] != base_code]


# ---- chart of accounts -----------------------------------------------------------------------------
def gen_chartofaccounts(sd: Seeder, n: int) -> None:
    refs = sd.refs
    tax_name = F.TAX_ACCOUNT_NAME.get(sd.ed.tax_model, "Tax Payable")
    existing = sd.existing("chartofaccounts")
    refs.accounts = {a["account_id"]: a for a in existing}
    by_name = {a["account_name"]: a for a in existing}
    refs.roles = {}
    for a in existing:
        if a.get("_role"):
            refs.roles.setdefault(a["_role"], a)
    catalogue = [(tax_name if nm == F.TAX_ACCOUNT else nm, code, typ, parent, role, system)
                 for nm, code, typ, parent, role, system in F.CHART]
    for nm, _code, _typ, _parent, role, _system in catalogue:  # accounts made by hand take their role
        if role and nm in by_name:
            refs.roles.setdefault(role, by_name[nm])
    # Every Zoho org starts with its system chart (receivables, payables, tax, bank ...): the
    # accounts other records post to are created whenever n > 0; the count tops the chart up to n.
    picked = [e for e in catalogue if n and (e[4] or e[5]) and e[0] not in by_name]
    for entry in catalogue:
        if len(picked) >= n:
            break
        if entry[0] not in by_name and entry not in picked:
            picked.append(entry)
    top_up(picked, n, by_name, lambda k: f"Operating Expense {k}",  # user-created expense sub-accounts
           lambda nm, k: (nm, str(6500 + k), "expense", "", "", False))
    ct = sd.start - 30 * DAY
    for nm, code, typ, parent, role, system in picked:
        d = sd.new("chartofaccounts")
        d.update(account_id=sd.ids(), account_name=nm, account_code=code, account_type=typ,
                 is_user_created=not system, is_system_account=system, is_active=True, can_show_in_ze=True,
                 currency_id=refs.base_id, currency_code=refs.base_code,
                 description=f"{nm} account", include_in_vat_return=sd.ed.tax_model == "vat",
                 _role=role)
        par = by_name.get(parent)
        if par is not None:
            d["parent_account_id"], d["parent_account_name"] = par["account_id"], par["account_name"]
            d["depth"] = int(par.get("depth") or 0) + 1
            _count_child(sd, par)
        sd.stamp(d, ct)
        by_name[nm] = d
        refs.accounts[sd.add("chartofaccounts", d)] = d
        if role:
            refs.roles.setdefault(role, d)
    accounts = refs.accounts.values()
    refs.expense_accounts = [a for a in accounts if a["account_type"] == "expense"] or \
        [a for a in accounts if a["account_type"] in ("other_expense", "cost_of_goods_sold")]


def _count_child(sd: Seeder, par: dict) -> None:
    pid = par["account_id"]
    if pid not in sd.out["chartofaccounts"]:  # an existing parent: update a copy
        par = sd.updates["chartofaccounts"].get(pid) or dict(par)
        sd.updates["chartofaccounts"][pid] = par
        sd.refs.accounts[pid] = par
    par["is_child_present"] = True
    par["child_count"] = int(par.get("child_count") or 0) + 1


# ---- taxes -----------------------------------------------------------------------------------------
def gen_taxes(sd: Seeder, n: int) -> None:
    refs, ed = sd.refs, sd.ed
    existing = sd.existing("taxes")
    taxes = {t["tax_id"]: t for t in existing}
    names = {t["tax_name"] for t in existing}
    if ed.tax_model == "none":
        n = 0
    cands = [(r.name, r.percentage, r.tax_type, r.specific_type) for r in ed.tax_rates]
    cands += [(nm, p, "tax", st) for nm, p, st in F.EXTRA_TAXES.get(sd.code, ())]
    cands = [c for c in cands if c[0] not in names]
    top_up(cands, n, names, lambda k: f"Local Tax {k}", lambda nm, _k: (nm, round(sd.rng.uniform(1, 10), 2), "tax", ""))
    authorities = refs.tax_authorities
    tax_acct = refs.roles.get("tax") if n else None
    if n and tax_acct is None:
        raise ValueError("taxes need the chart of accounts (tax payable account)")
    ct = sd.start - 29 * DAY
    first = not existing
    for k, (nm, pct, typ, spec) in enumerate(cands[:n]):
        d = sd.new("taxes")
        d.update(tax_id=sd.ids(), tax_name=nm, tax_percentage=pct, tax_type=typ, tax_factor="",
                 tax_specific_type=spec, tax_authority_id="", tax_authority_name=F.TAX_AUTHORITY.get(sd.code, ""),
                 is_value_added=ed.tax_model in ("vat", "gst"), is_default_tax=first, is_editable=True,
                 output_tax_account_name=tax_acct["account_name"], purchase_tax_account_name=tax_acct["account_name"],
                 tax_account_id=tax_acct["account_id"], purchase_tax_account_id=tax_acct["account_id"],
                 country=ed.country, country_code=ed.country_code, tds_payable_account_id="",
                 purchase_tax_expense_account_id=tax_acct["account_id"] if sd.code in ("au", "ca") else "",
                 _ct=float(ct), _lmt=float(ct))
        if authorities:  # US and Canadian taxes are filed with an authority
            auth = authorities[k % len(authorities)]
            d["tax_authority_id"], d["tax_authority_name"] = auth["tax_authority_id"], auth["tax_authority_name"]
        first = False
        taxes[sd.add("taxes", d)] = d
    refs.taxes = list(taxes.values())
    refs.tax_rates = {t["tax_id"]: TaxRate(t["tax_id"], t["tax_name"], t["tax_percentage"],
                                           calc.pct_milli(t["tax_percentage"]), t["tax_type"]) for t in refs.taxes}
    zero = [t for t in refs.taxes if not t["tax_percentage"]]
    refs.zero_tax = refs.tax_rates[zero[0]["tax_id"]] if zero else None


# ---- tax authorities, exemptions and groups (taxes.yml) ---------------------------------------------
def gen_taxauthorities(sd: Seeder, n: int) -> None:
    """US and Canadian editions: the state or provincial agencies their taxes are filed with."""
    existing = sd.existing("taxauthorities")
    names = {a["tax_authority_name"] for a in existing}
    n = n if sd.code in F.TAX_AUTHORITIES else 0
    cands = [nm for nm in F.TAX_AUTHORITIES.get(sd.code, ()) if nm not in names]
    top_up(cands, n, names, lambda k: f"County Tax Office {k}", lambda nm, _k: nm)
    ct = sd.start - 30 * DAY
    for k, nm in enumerate(cands[:n]):
        d = sd.new("taxauthorities")
        d.update(tax_authority_id=sd.ids(), tax_authority_name=nm, description=f"Sales taxes filed with {nm}",
                 _ct=float(ct), _lmt=float(ct))
        if sd.code == "ca":
            d.update(registration_number=f"{sd.rng.randint(100000000, 999999999)}RT0001",
                     registration_number_label="Business Number")
        sd.add("taxauthorities", d)
        existing.append(d)
    sd.refs.tax_authorities = existing


def gen_taxexemptions(sd: Seeder, n: int) -> None:
    """US edition: exemption codes for resellers, non-profits, wholesale goods ..."""
    existing = sd.existing("taxexemptions")
    codes = {e["tax_exemption_code"] for e in existing}
    n = n if sd.code == "us" else 0
    cands = [c for c in F.TAX_EXEMPTIONS if c[0] not in codes]
    top_up(cands, n, codes, lambda k: f"EXEMPT{k}", lambda code, _k: (code, "customer", "Exempt by certificate."))
    ct = sd.start - 29 * DAY
    for code, typ, text in cands[:n]:
        d = sd.new("taxexemptions")
        d.update(tax_exemption_id=sd.ids(), tax_exemption_code=code, type=typ, description=text,
                 _ct=float(ct), _lmt=float(ct))
        sd.add("taxexemptions", d)


def gen_taxgroups(sd: Seeder, n: int) -> None:
    """Groups of two simple non-zero taxes (a state and a city rate, GST and PST ...)."""
    simple = [t for t in sd.refs.taxes if t.get("tax_type") == "tax" and t.get("tax_percentage")]
    pairs = [(a, b) for i, a in enumerate(simple) for b in simple[i + 1:]]
    names = {g["tax_group_name"] for g in sd.existing("taxgroups")}
    ct = sd.start - 28 * DAY
    made = 0
    for a, b in pairs:
        if made >= n:
            break
        nm = f"{a['tax_name']} + {b['tax_name']}"
        if nm in names:
            continue
        d = sd.new("taxgroups")
        d.update(tax_group_id=sd.ids(), tax_group_name=nm,
                 tax_group_percentage=calc.money(float(a["tax_percentage"]) + float(b["tax_percentage"])),
                 taxes=[{"tax_id": t["tax_id"], "tax_name": t["tax_name"], "tax_percentage": t["tax_percentage"],
                         "tax_type": t["tax_type"], "tax_authority_id": t.get("tax_authority_id", ""),
                         "tax_authority_name": t.get("tax_authority_name", "")}
                        for t in (a, b)], _ct=float(ct), _lmt=float(ct))
        sd.add("taxgroups", d)
        made += 1


# ---- reporting tags --------------------------------------------------------------------------------
def gen_reportingtags(sd: Seeder, n: int) -> None:
    existing = sd.existing("reportingtags")
    names = {t["tag_name"] for t in existing}
    cands = [t for t in F.REPORTING_TAGS if t[0] not in names]
    top_up(cands, n, names, lambda k: f"Dimension {k}",
           lambda nm, _k: (nm, "Custom dimension", ("Option A", "Option B", "Option C")))
    ct = sd.start - 28 * DAY
    for nm, desc, opts in cands[:n]:
        d = {"tag_id": sd.ids(), "tag_name": nm, "description": desc, "is_active": True,
             "options": [{"option_id": sd.ids(), "option_name": o, "is_active": True} for o in opts],
             "_ct": float(ct), "_lmt": float(ct)}
        sd.add("reportingtags", d)
        existing.append(d)
    # flattened choices for line tags
    sd.refs.tag_choices = [{"tag_id": t["tag_id"], "tag_option_id": o["option_id"], "tag_name": t["tag_name"],
                            "tag_option_name": o["option_name"], "is_tag_mandatory": bool(t.get("is_mandatory"))}
                           for t in existing if t.get("is_active", True) for o in t.get("options", [])
                           if o.get("is_active", True)]


# ---- items -----------------------------------------------------------------------------------------
def gen_items(sd: Seeder, n: int) -> None:
    rng, refs = sd.rng, sd.refs
    existing = sd.existing("items")
    names = {i["name"] for i in existing}
    if n:
        sales = sd.role("sales", "items")
        cogs = sd.role("cogs", "items")
    sales_taxes = refs.taxes if sd.ed.tax_model in ("vat", "gst") else []
    k = 0
    made = 0
    while made < n:
        goods = rng.random() < 0.55
        base = rng.choice(F.GOODS if goods else F.SERVICES)
        variant = F.ITEM_VARIANTS[min(k // 40, len(F.ITEM_VARIANTS) - 1)] if k >= 40 else ""
        nm = base + variant
        k += 1
        if nm in names:
            if k > 40 * len(F.ITEM_VARIANTS):
                nm = f"{base} #{k}"
            else:
                continue
        names.add(nm)
        made += 1
        iid = sd.ids()
        rate = round(rng.choice((rng.uniform(5, 120), rng.uniform(50, 400), rng.uniform(20, 2000))), 2)
        if not goods:
            rate = round(rate / 5) * 5 or 50.0
        tax = None
        if sales_taxes:
            r = rng.random()
            tax = sales_taxes[0] if r < 0.78 or len(sales_taxes) == 1 else (
                sales_taxes[1] if r < 0.9 or len(sales_taxes) == 2 else sales_taxes[2])
        d = sd.new("items")
        d.update(item_id=iid, name=nm, status="active" if rng.random() < 0.92 else "inactive",
                 description=f"{nm} ({'goods' if goods else 'service'})", rate=rate,
                 unit=rng.choice(F.GOODS_UNITS) if goods else "hrs",
                 tax_id=tax["tax_id"] if tax else "", tax_name=tax["tax_name"] if tax else "",
                 tax_percentage=tax["tax_percentage"] if tax else 0, tax_type=tax["tax_type"] if tax else "",
                 sku=f"{'GD' if goods else 'SV'}-{1000 + len(names):05d}",
                 product_type="goods" if goods else "service", item_type="sales_and_purchases",
                 account_id=sales["account_id"], account_name=sales["account_name"],
                 purchase_rate=round(rate * rng.uniform(0.45, 0.75), 2), purchase_description=f"{nm} (purchase)",
                 purchase_account_id=cogs["account_id"])
        if tax and sd.code == "in":
            d["item_tax_preferences"] = [{"tax_id": tax["tax_id"], "tax_specification": "intra"}]
        ct = sd.when(sd.start - 25 * DAY, sd.start + 200 * DAY)
        sd.stamp(d, ct, ct + rng.randint(0, 300) * DAY)
        sd.add("items", d)
        existing.append(d)
    active = [i for i in existing if i.get("status", "active") == "active"] or existing
    refs.items = [ItemRow(i["item_id"], i["name"], i.get("description", ""), cents(i.get("rate") or 0),
                          cents(i.get("purchase_rate") or i.get("rate") or 0), i.get("unit", ""),
                          i.get("product_type", "goods"), i.get("tax_id", ""), i.get("sku", ""))
                  for i in active]


# ---- contacts --------------------------------------------------------------------------------------
def _address(sd: Seeder, attention: str = "") -> dict:
    p, rng = sd.pools, sd.rng
    state, code = rng.choice(p.states)
    return {"attention": attention, "address": rng.choice(p.streets),
            "street2": rng.choice(p.street2) if rng.random() < 0.2 else "", "state_code": code,
            "city": rng.choice(p.cities), "state": state, "zip": rng.choice(p.zips), "country": sd.ed.country,
            "fax": "", "phone": rng.choice(p.phones) if rng.random() < 0.5 else ""}


def _persons(sd: Seeder, first: str, last: str, domain: str) -> list[dict]:
    rng, p = sd.rng, sd.pools
    persons = []
    for k in range(1 if rng.random() < 0.5 else rng.randint(2, 3)):
        fn, ln = (first, last) if k == 0 else (rng.choice(p.first_names), rng.choice(p.last_names))
        cp = PERSON_TEMPLATE.new()
        cp.update(contact_person_id=sd.ids(), salutation=rng.choice(F.SALUTATIONS), first_name=fn,
                  last_name=ln, email=f"{fn}.{ln}@{domain}".lower().replace(" ", "").replace("'", ""),
                  phone=rng.choice(p.phones), mobile=rng.choice(p.phones) if rng.random() < 0.6 else "",
                  is_primary_contact=k == 0, designation=rng.choice(F.DESIGNATIONS),
                  department=rng.choice(F.DEPARTMENTS), is_added_in_portal=False,
                  communication_preference={"is_sms_enabled": False, "is_whatsapp_enabled": False},
                  enable_portal=False)
        persons.append(cp)
    return persons


def _contact_edition_fields(sd: Seeder, d: dict, business: bool, cur: dict | None) -> None:
    rng = sd.rng
    for f in sd.ed.edition_fields.get("contacts", ()):
        if f == "vat_treatment":
            d[f] = "uk" if not cur else ("eu_vat_registered" if cur["currency_code"] == "EUR" else "overseas")
        elif f == "vat_reg_no":
            d[f] = f"GB{rng.randint(100000000, 999999999)}" if business and not cur else ""
        elif f == "gst_treatment":
            d[f] = "overseas" if cur else ("business_gst" if business else "consumer")
        elif f == "gst_no":
            d[f] = (f"29{''.join(rng.choice('ABCDEFGHJKLMNPQRSTUVWXYZ') for _ in range(5))}"
                    f"{rng.randint(1000, 9999)}A1Z{rng.randint(1, 9)}") if business and not cur else ""
        elif f == "place_of_supply":
            d[f] = rng.choice(("KA", "MH", "TN", "DL", "GJ"))
        else:
            d[f] = ""


def _default_templates(sd: Seeder, contact_id: str, vendor: bool) -> dict[str, str]:
    """Every documented template key; one contact in five has its own templates (the org's one), picked
    by id so that the random sequence (and so every other seeded value) stays as it was."""
    out = dict.fromkeys(DEFAULT_TEMPLATE_KEYS, "")
    if int(contact_id) % 5 == 0:
        keys = ("bill_template_id", "purchaseorder_template_id") if vendor else \
            ("invoice_template_id", "estimate_template_id", "creditnote_template_id", "salesorder_template_id")
        out.update(dict.fromkeys(keys, sd.template_id))
    return out


def gen_contacts(sd: Seeder, n: int) -> None:
    rng, p, refs = sd.rng, sd.pools, sd.refs
    existing = sd.existing("contacts")
    names = {c["contact_name"] for c in existing}
    us_taxes = [t for t in refs.taxes if sd.ed.tax_model == "sales_tax"]
    nvend = max(1, round(n * 0.3)) if n >= 2 else 0
    times = sorted(sd.when(sd.start - 20 * DAY, sd.now_i - 5 * DAY) for _ in range(n))
    for idx, ct in enumerate(times):
        vendor = idx % 10 in (3, 6, 9) if n >= 10 else (idx < nvend)
        business = rng.random() < (0.95 if vendor else 0.78)
        first, last = rng.choice(p.first_names), rng.choice(p.last_names)
        name = rng.choice(p.companies) if business else f"{first} {last}"
        if name in names:
            k = 2
            while f"{name} ({k})" in names:
                k += 1
            name = f"{name} ({k})"
        names.add(name)
        cid = sd.ids()
        domain = rng.choice(p.domains)
        foreign = refs.foreign and rng.random() < 0.1
        cur = rng.choice(refs.foreign) if foreign else None
        terms, label = rng.choice(F.PAYMENT_TERMS)
        persons = _persons(sd, first, last, domain)
        prim = persons[0]
        bill = _address(sd, name if business else "")
        ship = dict(bill) if rng.random() < 0.7 else _address(sd, name if business else "")
        d = sd.new("contacts")
        d.update(contact_id=cid, contact_name=name, company_name=name if business else "",
                 contact_type="vendor" if vendor else "customer",
                 status="active" if rng.random() < 0.93 else "inactive", payment_terms=terms,
                 payment_terms_label=label, currency_id=cur["currency_id"] if cur else refs.base_id,
                 currency_code=cur["currency_code"] if cur else refs.base_code,
                 first_name=prim["first_name"], last_name=prim["last_name"], email=prim["email"],
                 phone=prim["phone"], mobile=prim["mobile"],
                 customer_sub_type="business" if business else "individual",
                 credit_limit=rng.choice((0, 0, 0, 5000, 10000, 25000)),
                 website=f"https://www.{domain}" if business else "",
                 primary_contact_id=prim["contact_person_id"],
                 currency_symbol=cur["currency_symbol"] if cur else refs.base_symbol,
                 payment_reminder_enabled=not vendor, billing_address=bill, shipping_address=ship,
                 contact_persons=persons,
                 default_templates=_default_templates(sd, cid, vendor),
                 contact_salutation=prim["salutation"], price_precision=2, notes="")
        if us_taxes and not vendor and rng.random() < 0.8:
            t = rng.choice(us_taxes)
            d.update(is_taxable=True, tax_id=t["tax_id"], tax_name=t["tax_name"], tax_percentage=t["tax_percentage"])
            st = t["tax_name"][:2]
            if st in F.US_TAX_STATE:
                bill["state"], bill["state_code"] = F.US_TAX_STATE[st], st
        elif sd.ed.tax_model in ("vat", "gst"):
            d["is_taxable"] = True
        _contact_edition_fields(sd, d, business, cur)
        sd.stamp(d, ct, ct + int(rng.random() ** 3 * (sd.now_i - ct)))
        sd.add("contacts", d)
        existing.append(d)
    refs.contacts = {c["contact_id"]: c for c in existing}
    refs.customers = [c for c in existing if c["contact_type"] == "customer"]
    refs.vendors = [c for c in existing if c["contact_type"] == "vendor"]
    refs.terms = {c["contact_id"]: _party_terms(sd, c) for c in existing}


def _party_terms(sd: Seeder, c: dict) -> PartyTerms:
    refs = sd.refs
    cur = refs.currencies.get(c.get("currency_code", refs.base_code))
    foreign = c.get("currency_code", refs.base_code) != refs.base_code
    prim = (c.get("contact_persons") or [{}])[0]
    person = associated_person(prim) if prim else None
    return PartyTerms(
        edition_values={f: c.get(f, "") for f in sd.ed.edition_fields.get("contacts", ())},
        rates=cur.get("_exchange_rates") if (cur and foreign) else None,
        zero_rated=foreign and sd.ed.tax_model in ("vat", "gst"),
        tax=refs.tax_rates.get(c.get("tax_id") or "") if c.get("is_taxable") else None,
        person=person)


# ---- bank accounts ---------------------------------------------------------------------------------
def gen_bankaccounts(sd: Seeder, n: int) -> None:
    rng, refs = sd.rng, sd.refs
    existing = sd.existing("bankaccounts")
    names = {b["account_name"] for b in existing}
    cat = F.UK_BANK_ACCOUNT_NAMES if sd.code == "uk" else F.BANK_ACCOUNT_NAMES
    cands = [c for c in cat if c[0] not in names]
    top_up(cands, n, names, lambda k: f"Business Checking {k}", lambda nm, _k: (nm, "bank"), k=2)
    banks = F.BANK_NAMES.get(sd.code, F.BANK_NAMES["us"])
    ct = sd.start - 20 * DAY
    for i, (nm, typ) in enumerate(cands[:n]):
        aid = sd.ids()
        last4 = rng.randint(1000, 9999)
        d = sd.new("bankaccounts")
        d.update(account_id=aid, account_name=nm, account_code=f"10{50 + len(existing)}",
                 currency_id=refs.base_id, currency_code=refs.base_code, account_type=typ,
                 account_number=f"XXXXXX{last4}", is_active=True, bank_name=rng.choice(banks),
                 routing_number=(f"{rng.randint(100000000, 999999999)}" if sd.code == "us" else
                                 f"{rng.randint(10, 99)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}"
                                 if sd.code == "uk" else ""),
                 is_primary_account=not existing and i == 0, currency_symbol=refs.base_symbol,
                 price_precision=2, is_feeds_subscribed=typ == "bank", is_feeds_active=typ == "bank",
                 _opening=0)
        d["description"] = f"{nm} ({d['bank_name']})"
        d["feeds_last_refresh_date"] = sd.ts(sd.now_i - rng.randint(1, 48) * 3600) if typ == "bank" else ""
        d["_ct"], d["_lmt"] = float(ct), float(ct)
        sd.add("bankaccounts", d)
        existing.append(d)
        # the same account in the chart of accounts (shared account_id, as in Zoho)
        a = sd.new("chartofaccounts")
        a.update(account_id=aid, account_name=nm, account_code=d["account_code"], account_type=typ,
                 is_user_created=True, is_active=True, can_show_in_ze=True, currency_id=refs.base_id,
                 currency_code=refs.base_code, description=d["description"],
                 include_in_vat_return=False, _role="bank")
        sd.stamp(a, ct)
        refs.accounts[sd.add("chartofaccounts", a)] = a
    refs.banks = [b for b in existing if b.get("is_active", True)] or existing
    refs.deposit_banks = [b for b in refs.banks if b["account_type"] == "bank"] or refs.banks


def deposit_account(sd: Seeder) -> dict | None:
    """Where a customer payment goes: mostly a bank account, else undeposited funds."""
    rng, refs = sd.rng, sd.refs
    if refs.deposit_banks and rng.random() < 0.8:
        return rng.choice(refs.deposit_banks)
    return refs.roles.get("undeposited") or (rng.choice(refs.deposit_banks) if refs.deposit_banks else None)
