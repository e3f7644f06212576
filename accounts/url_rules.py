from accounts.roles import ALL_ROLES, AUDIT_READERS, TWO_FACTOR_ROLES
from siaga.testing import Rule

RULES = [
    Rule("accounts:login", public=True, ok=(200, 302)),
    Rule("accounts:logout", public=True, method="post", ok=(302,)),
    Rule("accounts:account", allowed=ALL_ROLES),
    # The login's second step: without a pending login it sends the visitor back (to login or home).
    Rule("accounts:login_code", public=True, ok=(302,)),
    Rule("accounts:login_enrol", public=True, ok=(302,)),
    Rule("accounts:two_factor_setup", allowed=TWO_FACTOR_ROLES),
    # Without two-factor switched on these redirect back to the account page with a message.
    Rule("accounts:two_factor_disable", allowed=TWO_FACTOR_ROLES, method="post", ok=(302,)),
    Rule("accounts:recovery_codes", allowed=TWO_FACTOR_ROLES, method="post", ok=(302,)),
    Rule("accounts:audit", allowed=AUDIT_READERS),
    Rule("accounts:tokens", allowed=ALL_ROLES),
    # A token id that is not the user's own answers 404 for everybody.
    Rule("accounts:token_revoke", allowed=set(), method="post", kwargs=lambda c: {"token_id": 999999}),
    Rule("api:me", allowed=ALL_ROLES),
    Rule("api:api-root", public=True, ok=(200, 404)),
    Rule("api:openapi-json", public=True),
    Rule("api:openapi-view", public=True),
]
