"""Block Kit checks as Slack applies them: the limits a message, modal or Home tab must respect.

Each problem reads like Slack's own `response_metadata.messages` entries:
"[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]".
"""

from __future__ import annotations

from typing import Any

MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
SECTION_TEXT = 3000
TEXT_TYPES = ("plain_text", "mrkdwn")
_ELEMENTS = ("button", "plain_text_input", "static_select", "users_select", "image", "overflow")


def _error(problem: str, where: str) -> str:
    return f"[ERROR] {problem} [json-pointer:{where}]"


def check_text(
    value: Any, where: str, *, limit: int, types: tuple[str, ...] = TEXT_TYPES
) -> list[str]:
    """A composition text object: {"type": plain_text|mrkdwn, "text": 1..limit chars}."""
    if not isinstance(value, dict):
        return [_error("must provide an object", where)]
    problems = []
    if value.get("type") not in types:
        problems.append(_error(f"must be one of {', '.join(types)}", f"{where}/type"))
    text = value.get("text")
    if not isinstance(text, str) or not text:
        problems.append(_error("must be more than 0 characters", f"{where}/text"))
    elif len(text) > limit:
        problems.append(_error(f"must be less than {limit + 1} characters", f"{where}/text"))
    unknown = set(value) - {"type", "text", "emoji", "verbatim"}
    problems += [_error("is not a valid property", f"{where}/{k}") for k in sorted(unknown)]
    return problems


def _check_element(element: Any, where: str) -> list[str]:
    if not isinstance(element, dict) or element.get("type") not in _ELEMENTS:
        return [_error(f"must be one of {', '.join(_ELEMENTS)}", f"{where}/type")]
    problems = []
    action_id = element.get("action_id")
    if action_id is not None and (not isinstance(action_id, str) or len(action_id) > 255):
        problems.append(_error("must be less than 256 characters", f"{where}/action_id"))
    if element["type"] == "button":
        problems += check_text(
            element.get("text"), f"{where}/text", limit=75, types=("plain_text",)
        )
        value = element.get("value")
        if value is not None and (not isinstance(value, str) or len(value) > 2000):
            problems.append(_error("must be less than 2001 characters", f"{where}/value"))
        if element.get("style") not in (None, "primary", "danger"):
            problems.append(_error("must be one of primary, danger", f"{where}/style"))
    if element["type"] == "plain_text_input":
        initial = element.get("initial_value")
        if initial is not None and (not isinstance(initial, str) or len(initial) > 3000):
            problems.append(_error("must be less than 3001 characters", f"{where}/initial_value"))
    return problems


def _check_section(block: dict[str, Any], where: str) -> list[str]:
    problems = []
    if "text" not in block and "fields" not in block:
        problems.append(_error("must provide either text or fields", where))
    if "text" in block:
        problems += check_text(block["text"], f"{where}/text", limit=SECTION_TEXT)
    fields = block.get("fields", [])
    if not isinstance(fields, list) or len(fields) > 10:
        problems.append(_error("no more than 10 items allowed", f"{where}/fields"))
    else:
        for i, item in enumerate(fields):
            problems += check_text(item, f"{where}/fields/{i}", limit=2000)
    if "accessory" in block:
        problems += _check_element(block["accessory"], f"{where}/accessory")
    return problems


def _check_list(items: Any, where: str, *, most: int, check: Any, least: int = 1) -> list[str]:
    if not isinstance(items, list) or len(items) < least:
        return [_error(f"must provide at least {least} items", where)]
    if len(items) > most:
        return [_error(f"no more than {most} items allowed", where)]
    return [p for i, item in enumerate(items) for p in check(item, f"{where}/{i}")]


def _check_context_item(item: Any, where: str) -> list[str]:
    if isinstance(item, dict) and item.get("type") == "image":
        return []
    return check_text(item, where, limit=SECTION_TEXT)


def _check_block(block: Any, where: str) -> list[str]:
    if not isinstance(block, dict):
        return [_error("must provide an object", where)]
    kind = block.get("type")
    block_id = block.get("block_id")
    problems = []
    if block_id is not None and (not isinstance(block_id, str) or len(block_id) > 255):
        problems.append(_error("must be less than 256 characters", f"{where}/block_id"))
    if kind == "section":
        problems += _check_section(block, where)
    elif kind == "header":
        problems += check_text(block.get("text"), f"{where}/text", limit=150, types=("plain_text",))
    elif kind == "context":
        problems += _check_list(
            block.get("elements"), f"{where}/elements", most=10, check=_check_context_item
        )
    elif kind == "actions":
        problems += _check_list(
            block.get("elements"), f"{where}/elements", most=25, check=_check_element
        )
    elif kind == "input":
        label = block.get("label")
        problems += check_text(label, f"{where}/label", limit=2000, types=("plain_text",))
        problems += _check_element(block.get("element"), f"{where}/element")
    elif kind != "divider":
        problems.append(_error("must be a valid block type", f"{where}/type"))
    return problems


def check_blocks(blocks: Any, *, most: int = MESSAGE_BLOCKS, where: str = "/blocks") -> list[str]:
    """Every problem of a `blocks` array (at most `most` blocks, block_ids unique)."""
    problems = _check_list(blocks, where, most=most, check=_check_block, least=0)
    if not problems:
        ids = [b.get("block_id") for b in blocks if b.get("block_id") is not None]
        if len(ids) != len(set(ids)):
            problems.append(_error("block_id must be unique", where))
    return problems


def check_view(view: Any, *, kind: str) -> list[str]:
    """A modal (views.open) or a Home tab (views.publish) as Slack checks it."""
    if not isinstance(view, dict):
        return [_error("must provide an object", "/view")]
    if view.get("type") != kind:
        return [_error(f"must be {kind}", "/view/type")]
    problems = check_blocks(view.get("blocks"), most=VIEW_BLOCKS, where="/view/blocks")
    if kind == "modal":
        problems += check_text(view.get("title"), "/view/title", limit=24, types=("plain_text",))
        for optional in ("submit", "close"):
            if optional in view:
                problems += check_text(
                    view[optional], f"/view/{optional}", limit=24, types=("plain_text",)
                )
        has_input = any(b.get("type") == "input" for b in view.get("blocks") or [] if b)
        if has_input and "submit" not in view:
            problems.append(_error("must provide submit when the view has inputs", "/view"))
    for name, limit in (("private_metadata", 3000), ("callback_id", 255), ("external_id", 255)):
        value = view.get(name)
        if value is not None and (not isinstance(value, str) or len(value) > limit):
            problems.append(_error(f"must be less than {limit + 1} characters", f"/view/{name}"))
    return problems
