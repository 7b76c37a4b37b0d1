"""Zoho's literals, defined once: error codes, messages, header names, OAuth error strings.

Tests and every module refer to these by name. Where Zoho's exact wording is unknown the value is
our documented choice (see the README's "Where Zoho is silent" table); the comment says which.
"""
from __future__ import annotations

from dataclasses import dataclass

# --- Books API error bodies: {"code": N, "message": "..."} ---------------------------------------


@dataclass(frozen=True)
class BooksErrorKind:
    code: int
    http_status: int
    message: str  # may hold {placeholders}

    def render(self, **fields: object) -> str:
        return self.message.format(**fields)


SUCCESS_CODE = 0
SUCCESS_MESSAGE = "success"

INVALID_VALUE = BooksErrorKind(2, 400, "Invalid value passed for {field}")  # [third-party wording]
INVALID_JSONSTRING = BooksErrorKind(4, 400, "Invalid value passed for JSONString")  # our choice
INVALID_URL = BooksErrorKind(5, 404, "Invalid URL Passed")  # [third-party]
INVALID_AUTHTOKEN_LEGACY = BooksErrorKind(14, 401, "Invalid value passed for authtoken.")  # [third-party]
METHOD_NOT_ALLOWED = BooksErrorKind(37, 405, "The HTTP method is not allowed for the requested resource")
PER_MINUTE_EXCEEDED = BooksErrorKind(
    44,
    429,
    "For security reasons your organization has been blocked as it have exceeded the maximum number of "
    "requests per minute that can originate from an organization.",
)  # [doc] Books introduction, "API Call Limit" (Zoho's grammar kept)
DAILY_EXCEEDED = BooksErrorKind(45, 429, "The API call for this organization has exceeded the maximum call rate limit of {limit}")
NOT_AUTHORIZED = BooksErrorKind(57, 401, "You are not authorized to perform this operation")  # [observed]
INTERNAL_ERROR = BooksErrorKind(1000, 500, "Internal error")  # [doc]
DOES_NOT_EXIST = BooksErrorKind(1002, 404, "{resource} does not exist.")  # [doc] body; HTTP status our choice
CONCURRENCY_EXCEEDED = BooksErrorKind(
    1070, 429, "You have reached the maximum number of in process requests allowed. Kindly try again after some time."
)  # [doc] Books introduction, "Concurrent Rate Limiter"
ORG_NOT_ASSOCIATED = BooksErrorKind(
    6041, 400, "This user is not associated with the CompanyID/CompanyName:{organization_id}."
)  # [observed]
BODY_TOO_LARGE = BooksErrorKind(2, 400, "Invalid value passed for JSONString")  # our choice: same as bad JSON
# --- Books write validation (exact codes unknown -> our choices, see the README table) ---------------
ALREADY_EXISTS = BooksErrorKind(1001, 400, "{label} \"{value}\" already exists.")  # our choice (code, wording)
HAS_DEPENDENTS = BooksErrorKind(1040, 400, "{label} cannot be deleted as it has associated transactions.")  # our choice
JOURNAL_UNBALANCED = BooksErrorKind(2, 400, "Invalid value passed for line_items")  # our choice: debits must equal credits
OVER_APPLIED = BooksErrorKind(2, 400, "Invalid value passed for amount_applied")  # our choice: more than the balance
# Messages of successful writes (our choice, reference §3.5): label is lower-case, e.g. "invoice".
CREATED_MESSAGE = "The {label} has been created."
UPDATED_MESSAGE = "The {label} has been updated."
DELETED_MESSAGE = "The {label} has been deleted."
STATUS_MESSAGE = "The {label} status has been changed to {status}."  # our choice
# Status and record actions as Zoho's documents word them (estimates.yml, sales-order.yml, credit-notes.yml,
# contacts.yml, items.yml); {Status} is the new status capitalised.
ESTIMATE_STATUS_MESSAGE = "Estimate status has been changed to {Status}."
INVOICE_STATUS_MESSAGE = "Invoice status has been changed to {Status}."
INVOICE_DRAFT_MESSAGE = "Status of invoice changed from void to draft"
ESTIMATE_SUBMITTED_MESSAGE = "The estimate has been successfully submitted for approval"
ESTIMATE_APPROVED_MESSAGE = "You have approved the estimate."
SALESORDER_SUBMITTED_MESSAGE = "The Sales Order has been successfully submitted for approval."
SALESORDER_APPROVED_MESSAGE = "You have approved the Sales Order."
INVOICE_EMAILED_MESSAGE = "Your invoice has been sent."
INVOICE_REMINDERS_ENABLED_MESSAGE = "Reminders enabled."
INVOICE_WRITTEN_OFF_MESSAGE = "Invoice has been written off"
INVOICE_WRITE_OFF_CANCELLED_MESSAGE = "The write off done for this invoice has been cancelled."
INVOICE_REMINDERS_DISABLED_MESSAGE = "Reminders stopped."
CONTACT_REMINDERS_ENABLED_MESSAGE = "All reminders associated with this contact have been enabled."
CONTACT_REMINDERS_DISABLED_MESSAGE = "All reminders associated with this contact have been stopped."
INVOICE_SUBMITTED_MESSAGE = "The invoice has been submitted for approval successfully."
INVOICE_APPROVED_MESSAGE = "You have approved the invoice."
CREDITNOTE_SUBMITTED_MESSAGE = "The Credit Note has been successfully submitted for approval."
CREDITNOTE_APPROVED_MESSAGE = "You have approved the Credit Note."
ESTIMATE_EMAILED_MESSAGE = "Your estimate has been sent."
SALESORDER_EMAILED_MESSAGE = "Your Sales Order has been sent."
CREDITNOTE_EMAILED_MESSAGE = "Your creditnote has been sent."
SALESORDER_STATUS_MESSAGE = "Sales order status has been changed to {Status}."
CREDITNOTE_VOID_MESSAGE = "The credit note has been marked as void."
CREDITNOTE_DRAFT_MESSAGE = "The credit note has been marked as Draft."
CREDITNOTE_OPEN_MESSAGE = "Status of the credit note has been changed to open."
CREDITS_APPLIED_MESSAGE = "Credits have been applied to the invoice(s)."
MARKED_ACTIVE_MESSAGE = "The {label} has been marked as active."
MARKED_INACTIVE_MESSAGE = "The {label} has been marked as inactive."
PERSON_PRIMARY_MESSAGE = "This contact person has been marked as your primary contact person."
# Create/update/delete answers where a module's document words them otherwise than CREATED_MESSAGE & co.
ESTIMATE_UPDATED_MESSAGE = "Estimate information has been updated."
SALESORDER_CREATED_MESSAGE = "Sales Order Created Successfully."
SALESORDER_UPDATED_MESSAGE = "Sales Order Updated Successfully."
SALESORDER_DELETED_MESSAGE = "Sales Order Deleted Successfully."
ITEM_CREATED_MESSAGE = "The item has been added."
ITEM_UPDATED_MESSAGE = "Item details have been saved."
CONTACT_UPDATED_MESSAGE = "Contact has been updated successfully"
PAYMENT_UPDATED_MESSAGE = "The payment details have been updated."
# organizations[].plan_type by plan (our choice: Zoho's numeric codes are undocumented)
ORG_PLAN_TYPES = {"free": 0, "standard": 1, "professional": 2, "premium": 3, "elite": 4, "ultimate": 5}


def daily_limit_message(limit: int, style: str = "live") -> str:
    """Live bodies show a thousands separator and no final period; the doc example has both ways."""
    if style == "doc":
        return DAILY_EXCEEDED.render(limit=f"{limit}") + "."
    return DAILY_EXCEEDED.render(limit=f"{limit:,}")


# --- Books headers ------------------------------------------------------------------------------
RATE_LIMIT_LIMIT = "X-Rate-Limit-Limit"
RATE_LIMIT_REMAINING = "X-Rate-Limit-Remaining"
RATE_LIMIT_RESET = "X-Rate-Limit-Reset"
ORG_HEADER = "X-com-zoho-books-organizationid"
# PUT /<collection>: update (X-Upsert: true, else create) the record whose custom field has this unique value [doc]
UNIQUE_KEY_HEADER = "X-Unique-Identifier-Key"
UNIQUE_VALUE_HEADER = "X-Unique-Identifier-Value"
UPSERT_HEADER = "X-Upsert"
JSON_CONTENT_TYPE = "application/json;charset=UTF-8"
SERVER_HEADER = "ZGS"  # what Zoho's servers send as Server:

# --- Zoho Accounts (OAuth) --------------------------------------------------------------------
OAUTH_INVALID_CLIENT = "invalid_client"
OAUTH_INVALID_CLIENT_SECRET = "invalid_client_secret"
OAUTH_INVALID_CODE = "invalid_code"
OAUTH_INVALID_REDIRECT_URI = "invalid_redirect_uri"  # our choice
OAUTH_INVALID_REQUEST = "invalid_request"  # our choice
OAUTH_UNSUPPORTED_GRANT_TYPE = "unsupported_grant_type"  # our choice
OAUTH_INVALID_SCOPE = "invalid_scope"  # our choice
OAUTH_MISSING_ORG_INFO = "missing_org_info"  # [doc] code
OAUTH_ACCESS_DENIED = "access_denied"
OAUTH_INVALID_TOKEN = "invalid_token"  # revoke of an unknown token, our choice for the 400 body

# The token endpoint's throttle answer (HTTP 400 by default): [doc] CRM token-validity pages.
OAUTH_THROTTLE_BODY = {
    "error_description": "You have made too many requests continuously. Please try again after some time.",
    "error": "Access Denied",
    "status": "failure",
}
OAUTH_TOKEN_TYPE = "Bearer"
TOKEN_PREFIX = "1000"

# Scopes
SCOPE_PREFIX = "ZohoBooks"
SCOPE_FULL_ACCESS = "ZohoBooks.fullaccess.all"
SCOPE_OPERATIONS = ("CREATE", "READ", "UPDATE", "DELETE", "ALL")
SCOPE_MODULES = (
    "contacts", "settings", "estimates", "invoices", "customerpayments", "creditnotes", "projects",
    "expenses", "salesorders", "purchaseorders", "bills", "debitnotes", "vendorpayments", "banking",
    "accountants", "custommodules", "fixedasset",
)

# --- Zoho Accounts: revoke, serverinfo, headers, pages (added with the accounts backend) ----------
OAUTH_STATUS_SUCCESS = "success"  # revoke and serverinfo "status"/"result" on success [doc]
OAUTH_STATUS_FAILURE = "failure"  # revoke failure body, our choice
AUTH_SCHEME_ZOHO = "Zoho-oauthtoken"  # [doc] Books Authorization header scheme
AUTH_SCHEME_BEARER = "Bearer"  # [observed] accepted when books.accept_bearer
SOID_PREFIX = "ZohoBooks"  # client_credentials soid = ZohoBooks.<organization_id>, our choice
# Scopes of other Zoho services that Books integrations commonly request with Books scopes (our choice).
FOREIGN_SCOPES = ("AaaServer.profile.READ", "AaaServer.profile.ALL")
# Human text on the emulator's HTML pages (Zoho's own wording is unknown; our choice).
OAUTH_PAGE_TEXT = {
    OAUTH_INVALID_CLIENT: "The client is not registered, or not enabled for this data center.",
    OAUTH_INVALID_REDIRECT_URI: "The redirect_uri does not match any redirect URI registered for this client.",
    OAUTH_INVALID_SCOPE: "The scope is missing or holds a scope Zoho does not know.",
    OAUTH_INVALID_REQUEST: "The request is missing a parameter or holds a bad one.",
}
SIGNIN_UNKNOWN_ACCOUNT = "This account cannot be found. Please use a different account or sign up for a new account."
CONSENT_EXPIRED = "This consent page has expired or was already used. Start the authorization again."
