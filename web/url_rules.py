from accounts.roles import ALL_ROLES
from siaga.testing import Rule

RULES = [
    Rule("web:home", allowed=ALL_ROLES),
    Rule("web:healthz", public=True),
    Rule("web:readyz", public=True),
    Rule("web:set_language", public=True, method="post", data=lambda c: {"language": "en", "next": "/"},
         ok=(302,)),
]
RULES.append(Rule("metrics", public=True))
