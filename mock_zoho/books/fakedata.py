"""Static catalogues and faker-built pools for the seeder.

Faker is slow per call, so ``Pools`` calls it a bounded number of times (once per pool entry) and
the bulk seeder combines pool entries with a plain ``random.Random``. Each pool uses its own Faker
instance seeded from the caller's rng (never Faker's global seed), so pools are deterministic.
"""
from __future__ import annotations

import random
import threading
from dataclasses import dataclass

# code -> (name, symbol, format, units of USD per 1 unit, approx)
CURRENCIES: dict[str, tuple[str, str, str, float]] = {
    "USD": ("US Dollar", "$", "###,##0.00", 1.0),
    "GBP": ("Pound Sterling", "£", "###,##0.00", 1.27),
    "EUR": ("Euro", "€", "###.##0,00", 1.08),
    "INR": ("Indian Rupee", "₹", "##,##,##0.00", 0.012),
    "AUD": ("Australian Dollar", "$", "###,##0.00", 0.66),
    "CAD": ("Canadian Dollar", "$", "###,##0.00", 0.74),
    "JPY": ("Japanese Yen", "¥", "###,##0", 0.0067),
    "CHF": ("Swiss Franc", "CHF", "###,##0.00", 1.13),
    "SGD": ("Singapore Dollar", "S$", "###,##0.00", 0.74),
    "AED": ("UAE Dirham", "AED", "###,##0.00", 0.27),
    "ZAR": ("South African Rand", "R", "###,##0.00", 0.054),
    "NZD": ("New Zealand Dollar", "$", "###,##0.00", 0.61),
    "SEK": ("Swedish Krona", "kr", "###,##0.00", 0.095),
    "MXN": ("Mexican Peso", "$", "###,##0.00", 0.058),
}
# Which foreign currencies an org of a base currency trades in first.
FOREIGN_ORDER = ("USD", "EUR", "GBP", "CAD", "AUD", "INR", "JPY", "CHF", "SGD", "AED", "ZAR", "NZD", "SEK", "MXN")

# Extra taxes beyond an edition's tax_rates (used when more taxes are requested): name, pct, specific type.
EXTRA_TAXES: dict[str, tuple[tuple[str, float, str], ...]] = {
    "us": (("FL Sales Tax", 6.0, ""), ("IL Sales Tax", 6.25, ""), ("NJ Sales Tax", 6.625, ""),
           ("PA Sales Tax", 6.0, ""), ("MA Sales Tax", 6.25, ""), ("GA Sales Tax", 4.0, ""),
           ("OH Sales Tax", 5.75, ""), ("CO Sales Tax", 2.9, "")),
    "uk": (("Exempt", 0.0, "exempt"), ("EC Goods Standard Rate", 20.0, "ec_goods"),
           ("Standard Rate (Reverse Charge)", 20.0, "reverse_charge")),
    "in": (("GST0", 0.0, ""), ("GST3", 3.0, "")),
    "au": (("GST on Imports", 10.0, ""),),
    "ca": (("PST SK", 6.0, ""), ("QST", 9.975, "")),
}
TAX_AUTHORITY = {"us": "State Department of Revenue", "uk": "HMRC", "in": "GST Council", "au": "ATO",
                 "ca": "CRA", "global": ""}
# Tax authorities (US states, Canadian agencies) and US tax exemptions: (code, type, description).
TAX_AUTHORITIES = {"us": ("California Department of Tax and Fee Administration",
                          "New York State Department of Taxation and Finance", "Texas Comptroller of Public Accounts",
                          "Washington State Department of Revenue", "Florida Department of Revenue",
                          "Illinois Department of Revenue"),
                   "ca": ("Canada Revenue Agency", "Revenu Québec", "British Columbia Ministry of Finance")}
TAX_EXEMPTIONS = (("RESELLER", "customer", "Tax exempted because the contact is a reseller."),
                  ("NONPROFIT", "customer", "Registered non-profit organisation."),
                  ("GOVERNMENT", "customer", "Government agency purchase."),
                  ("WHOLESALE", "item", "Goods bought for resale."),
                  ("GROCERY", "item", "Unprepared food items."))
TAX_ACCOUNT_NAME = {"vat": "VAT Payable", "sales_tax": "Sales Tax Payable", "gst": "GST Payable", "none": "Tax Payable"}
# US sales-tax names -> state for contacts' addresses.
US_TAX_STATE = {"CA": "California", "NY": "New York", "TX": "Texas", "WA": "Washington", "FL": "Florida",
                "IL": "Illinois", "NJ": "New Jersey", "PA": "Pennsylvania", "MA": "Massachusetts",
                "GA": "Georgia", "OH": "Ohio", "CO": "Colorado"}

# Chart of accounts catalogue: (name, code, account_type, parent name, role, is_system_account).
# The roles the transactions need come first, so a small count still covers them.
TAX_ACCOUNT = "__tax__"
CHART: tuple[tuple[str, str, str, str, str, bool], ...] = (
    ("Accounts Receivable", "1100", "accounts_receivable", "", "ar", True),
    ("Accounts Payable", "2000", "accounts_payable", "", "ap", True),
    ("Sales", "4000", "income", "", "sales", True),
    (TAX_ACCOUNT, "2100", "other_current_liability", "", "tax", True),
    ("Cost of Goods Sold", "5000", "cost_of_goods_sold", "", "cogs", True),
    ("Undeposited Funds", "1020", "cash", "", "undeposited", True),
    ("Owner's Equity", "3000", "equity", "", "equity", True),
    ("Office Supplies", "6050", "expense", "", "expense", False),
    ("Petty Cash", "1010", "cash", "", "petty", True),
    ("Retained Earnings", "3200", "equity", "", "", True),
    ("Opening Balance Offset", "3100", "equity", "", "", True),
    ("Drawings", "3300", "equity", "", "", False),
    ("General Income", "4100", "income", "", "", False),
    ("Interest Income", "4200", "other_income", "", "", False),
    ("Late Fee Income", "4300", "other_income", "", "", False),
    ("Shipping Charge", "4500", "income", "", "", True),
    ("Discount", "4400", "income", "", "", True),
    ("Inventory Asset", "1300", "other_current_asset", "", "", True),
    ("Prepaid Expenses", "1400", "other_current_asset", "", "", False),
    ("Furniture and Equipment", "1500", "fixed_asset", "", "", False),
    ("Computer Equipment", "1510", "fixed_asset", "Furniture and Equipment", "", False),
    ("Employee Reimbursements", "2200", "other_current_liability", "", "", True),
    ("Opening Balance Adjustments", "2400", "other_current_liability", "", "", True),
    ("Long Term Loan", "2700", "long_term_liability", "", "", False),
    ("Advertising And Marketing", "6000", "expense", "", "", False),
    ("Automobile Expense", "6010", "expense", "", "", False),
    ("Fuel/Mileage Expenses", "6011", "expense", "Automobile Expense", "", False),
    ("Parking", "6012", "expense", "Automobile Expense", "", False),
    ("Bank Fees and Charges", "6020", "expense", "", "", False),
    ("Consultant Expense", "6030", "expense", "", "", False),
    ("IT and Internet Expenses", "6040", "expense", "", "", False),
    ("Printing and Stationery", "6051", "expense", "Office Supplies", "", False),
    ("Postage", "6052", "expense", "Office Supplies", "", False),
    ("Rent Expense", "6060", "expense", "", "", False),
    ("Salaries and Employee Wages", "6070", "expense", "", "", False),
    ("Travel Expense", "6080", "expense", "", "", False),
    ("Telephone Expense", "6090", "expense", "", "", False),
    ("Meals and Entertainment", "6100", "expense", "", "", False),
    ("Repairs and Maintenance", "6110", "expense", "", "", False),
    ("Bad Debt", "6120", "expense", "", "", False),
    ("Depreciation Expense", "6130", "expense", "", "", False),
    ("Exchange Gain or Loss", "7000", "other_expense", "", "", True),
    ("Uncategorized", "7100", "other_expense", "", "", True),
)

BANK_NAMES = {
    "us": ("Chase", "Bank of America", "Wells Fargo", "Citibank", "US Bank"),
    "uk": ("Barclays", "HSBC UK", "Lloyds Bank", "NatWest", "Santander UK"),
    "in": ("HDFC Bank", "ICICI Bank", "State Bank of India", "Axis Bank"),
    "au": ("Commonwealth Bank", "Westpac", "ANZ", "NAB"),
    "ca": ("RBC", "TD Canada Trust", "Scotiabank", "BMO"),
}
BANK_ACCOUNT_NAMES = (("Business Checking", "bank"), ("Business Savings", "bank"), ("Company Credit Card", "credit_card"),
                      ("Operating Account", "bank"), ("Reserve Account", "bank"), ("Corporate Card", "credit_card"))
UK_BANK_ACCOUNT_NAMES = (("Business Current Account", "bank"), ("Business Savings", "bank"),
                         ("Company Credit Card", "credit_card"), ("Operating Account", "bank"),
                         ("Reserve Account", "bank"), ("Corporate Card", "credit_card"))

# Items: (name, unit, product_type, base rate, purchase account role)
GOODS = ("Laptop Stand", "Wireless Keyboard", "USB-C Hub", "Office Chair", "Standing Desk", "Monitor Arm",
         "Printer Paper (Box)", "Toner Cartridge", "Desk Lamp", "Webcam HD", "Noise-Cancelling Headset",
         "Whiteboard", "Filing Cabinet", "Network Switch", "Wi-Fi Router", "External SSD 1TB",
         "Ergonomic Mouse", "Label Printer", "Barcode Scanner", "Coffee Beans 1kg", "Safety Gloves",
         "LED Panel", "Extension Lead", "Storage Shelf", "Packing Tape")
SERVICES = ("Consulting", "Implementation Services", "Support Plan (Monthly)", "Training Session",
            "Website Maintenance", "Design Services", "Installation", "Project Management", "Data Migration",
            "Annual Subscription", "On-site Visit", "Audit Services", "Bookkeeping", "Copywriting",
            "Photography", "Cloud Hosting (Monthly)", "Security Review", "Custom Development")
GOODS_UNITS = ("pcs", "box", "unit", "kg", "set")
ITEM_VARIANTS = ("", " - Standard", " - Premium", " - Basic", " - Pro", " - XL", " - Bundle")

REPORTING_TAGS = (
    ("Region", "Sales region", ("North", "South", "East", "West", "International")),
    ("Department", "Cost department", ("Sales", "Engineering", "Support", "Marketing", "Operations", "Finance")),
    ("Project", "Client project", ("Apollo", "Borealis", "Cobalt", "Delta", "Everest")),
    ("Cost Center", "Cost centre", ("HQ", "Branch A", "Branch B", "Remote")),
    ("Channel", "Sales channel", ("Direct", "Partner", "Online", "Retail")),
    ("Product Line", "Product line", ("Hardware", "Software", "Services")),
)

PAYMENT_TERMS = ((0, "Due on Receipt"), (15, "Net 15"), (30, "Net 30"), (30, "Net 30"), (45, "Net 45"),
                 (60, "Net 60"))
CUSTOMER_PAYMENT_MODES = ("Bank Transfer", "Bank Transfer", "Check", "Cash", "Credit Card", "PayPal", "Stripe",
                          "Bank Remittance")
VENDOR_PAYMENT_MODES = ("Bank Transfer", "Bank Transfer", "Check", "Cash", "Credit Card")
DESIGNATIONS = ("Accounts Payable", "Finance Manager", "CEO", "Office Manager", "Purchasing Lead", "Controller",
                "Operations Director", "Bookkeeper", "")
DEPARTMENTS = ("Finance", "Operations", "Management", "Procurement", "Sales", "")
SALUTATIONS = ("Mr.", "Ms.", "Mrs.", "Dr.", "")
EXPENSE_DESCRIPTIONS = ("Taxi to client", "Team lunch", "Office supplies", "Software subscription",
                        "Train tickets", "Hotel stay", "Parking", "Printer ink", "Courier", "Conference ticket",
                        "Mobile phone bill", "Internet bill")
JOURNAL_NOTES = ("Monthly depreciation", "Accrual adjustment", "Reclassification", "Payroll accrual",
                 "Prepaid expense amortisation", "Owner contribution", "Year-end adjustment", "Bank fee correction")
BANK_PAYEES = ("Amazon", "Staples", "Uber", "Shell", "AWS", "Google", "Microsoft", "Starbucks", "FedEx", "UPS",
               "Dropbox", "Slack", "Zoom", "Adobe", "Delta Air Lines", "Hilton")

_FAKER_LOCK = threading.Lock()


@dataclass
class Pools:
    """Name, address and contact pools: faker output, drawn once per seeding call."""

    companies: list[str]
    first_names: list[str]
    last_names: list[str]
    streets: list[str]
    street2: list[str]
    cities: list[str]
    states: list[tuple[str, str]]  # (name, code)
    zips: list[str]
    phones: list[str]
    domains: list[str]
    words: list[str]


def build_pools(locale: str, rng: random.Random, size: int) -> Pools:
    """Pools of ``size`` entries (companies, names, addresses) in ``locale``; deterministic for
    a given rng state. Faker instances are cheap after the first of a locale (cached providers)."""
    from faker import Faker

    size = max(8, size)
    with _FAKER_LOCK:  # Faker providers share module state; keep pool building serial
        fake = Faker(locale)
        fake.seed_instance(rng.randrange(2**32))
        companies = [fake.company() for _ in range(size)]
        first = [fake.first_name() for _ in range(size)]
        last = [fake.last_name() for _ in range(size)]
        streets = [fake.street_address() for _ in range(size)]
        street2 = [fake.secondary_address() if hasattr(fake, "secondary_address") else "" for _ in range(max(4, size // 4))]
        cities = [fake.city() for _ in range(size)]
        states: list[tuple[str, str]] = []
        for _ in range(max(4, size // 2)):
            if locale == "en_GB":
                county = fake.county() if hasattr(fake, "county") else ""
                states.append((county, ""))
            elif hasattr(fake, "state_abbr"):
                try:
                    states.append((fake.state(), fake.state_abbr()))
                except AttributeError:
                    states.append((fake.state(), ""))
            elif hasattr(fake, "state"):
                states.append((fake.state(), ""))
            else:
                states.append(("", ""))
        zips = [fake.postcode() for _ in range(size)]
        phones = [fake.phone_number() for _ in range(size)]
        domains = [fake.domain_name() for _ in range(size)]
        words = [fake.word() for _ in range(size)]
    return Pools(companies, first, last, streets, street2, cities, states, zips, phones, domains, words)
