"""What a blocked or script-built answer looks like (rules of crawler/discovery/verdict.py, as data)."""

from __future__ import annotations

import re

# Statuses a site answers a crawler it refuses with (WAFs: 403, 412 of 瑞数, 418, 429 rate limits,
# 521/567 of JavaScript-cookie challenges). A 503 is a server that is down unless its page is a
# challenge (CHALLENGE below decides).
BLOCKED_STATUS = frozenset({401, 403, 405, 406, 412, 418, 429, 451, 468, 521, 567})

# Markers of WAF block pages and JavaScript or captcha challenges (CDNs and Chinese WAFs).
CHALLENGE = re.compile("|".join([
    r"cf-browser-verification", r"cf_chl_", r"challenge-platform", r"Just a moment\.\.\.",
    r"Attention Required! \| Cloudflare", r"__jsl_clearance", r"jsl_tracking", r"yunsuo_session_verify",
    r"safedog", r"wzws_cid", r"wzwschallenge", r"WZWS-RAY", r"acw_sc__v2", r"aliyun_waf", r"_waf_[0-9a-f]{8}",
    r"waf\.tencent", r"yunjiasu", r"创宇盾", r"网站防火墙", r"安全狗", r"人机验证", r"安全验证", r"访问验证",
    r"滑动验证", r"请完成验证", r"访问被拦截", r"访问已被拦截", r"请求已被拦截", r"疑似黑客攻击", r"非法访问",
    r"Access Denied", r"Request blocked", r"You don't have permission to access", r"captcha",
]), re.I)

# A page that says it needs JavaScript, or is an empty application shell.
NEEDS_SCRIPT = re.compile("|".join([
    r"enable JavaScript", r"JavaScript is (?:disabled|required)", r"请(?:开启|启用|打开)\s*JavaScript",
    r"需要(?:开启|启用)?\s*JavaScript", r"浏览器不支持\s*JavaScript",
    r"<div[^>]+id=[\"'](?:app|root|__next|__nuxt)[\"'][^>]*>\s*</div>",
]), re.I)

# Less visible text than this (characters) while scripts are present: the page is built in the browser.
SHELL_TEXT = 200
