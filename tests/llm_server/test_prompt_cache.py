"""Which slot a request decodes in, and which cached prefix it reuses."""

from __future__ import annotations

import pytest

from okla.llm_server.prompt_cache import (
    MIN_COPY_TOKENS,
    CachedSlot,
    SlotChoice,
    choose_slot,
    common_prefix,
    plan_compaction,
    runs,
)

SYSTEM = list(range(1000, 1000 + 2 * MIN_COPY_TOKENS))  # a system prompt every chat starts with


def chat(*turns: int) -> list[int]:
    """Return the tokens of a conversation: the system prompt, then 20 tokens per turn id."""
    return SYSTEM + [t for turn in turns for t in range(turn * 100, turn * 100 + 20)]


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ([], [1, 2], 0),
        ([1, 2, 3], [1, 2, 3], 3),
        ([1, 2, 3], [1, 2, 4], 2),
        ([1, 2], [1, 2, 3, 4], 2),
        (list(range(1000)), [*range(700), -1], 700),  # across the block-compare boundary
        (list(range(512)), list(range(512)), 512),
    ],
)
def test_common_prefix(a: list[int], b: list[int], expected: int) -> None:
    assert common_prefix(a, b) == expected
    assert common_prefix(b, a) == expected


def anchor(*turns: int) -> int:
    """Return where the first customer message of conversation `turns` ends."""
    return len(chat(turns[0]))


def test_follow_up_turn_continues_in_its_own_slot() -> None:
    slots = [
        CachedSlot(0, chat(1, 2), last_used=5),
        CachedSlot(1, chat(7, 8), last_used=1),
        CachedSlot(2, [], last_used=0),
    ]
    # The next turn of conversation (1, 2): everything the slot holds is its prefix.
    assert choose_slot(chat(1, 2, 3), slots, anchor(1)) == SlotChoice(0, len(chat(1, 2)))


def test_follow_up_with_a_stale_tail_continues_in_its_slot_even_with_empty_slots() -> None:
    # The slot holds the earlier question's vehicle list and reply; the new prompt re-sends
    # the question alone. It is still this conversation: it shares the first question.
    held = chat(1) + [7] * 200
    slots = [CachedSlot(0, held, last_used=5), CachedSlot(1, [], last_used=0)]
    assert choose_slot(chat(1, 2), slots, anchor(1)) == SlotChoice(0, len(chat(1)))


def test_new_conversation_sharing_only_the_system_prompt_never_takes_a_chat_slot() -> None:
    # One other conversation of the same dealer, every slot in use: it keeps its slot.
    slots = [
        CachedSlot(0, chat(1, 2, 3), last_used=9),
        CachedSlot(1, [5] * 80, last_used=2),
        CachedSlot(2, [6] * 80, last_used=4),
    ]
    choice = choose_slot(chat(4), slots, anchor(4))
    assert choice == SlotChoice(1, len(SYSTEM), copy_from=0)


def test_a_first_question_that_starts_like_another_one_does_not_take_its_slot() -> None:
    slots = [CachedSlot(0, chat(1, 2), last_used=5), CachedSlot(1, chat(8, 9), last_used=1)]
    # Shares the system prompt and 3 more tokens with conversation (1, 2): not the same chat.
    prompt = chat(1)[: len(SYSTEM) + 3] + [42] * 10
    choice = choose_slot(prompt, slots, anchor=len(prompt) - 2)
    assert choice.index == 1
    # What it does share is copied rather than decoded again.
    assert choice == SlotChoice(1, len(SYSTEM) + 3, copy_from=0)


def test_new_conversation_copies_the_shared_prefix_into_an_empty_slot() -> None:
    slots = [
        CachedSlot(0, chat(1, 2, 3, 4), last_used=5),
        CachedSlot(1, [], last_used=0),
        CachedSlot(2, chat(7, 8, 9, 6), last_used=2),
    ]
    choice = choose_slot(chat(5), slots, anchor(5))
    # Conversation (1, 2, 3, 4) keeps its cache; the system prompt is copied, not decoded.
    assert choice == SlotChoice(1, len(SYSTEM), copy_from=0)


def test_new_conversation_takes_the_least_recently_used_slot_when_all_are_full() -> None:
    slots = [
        CachedSlot(0, chat(1, 2, 3, 4), last_used=5),
        CachedSlot(1, chat(7, 8, 9, 6), last_used=2),
        CachedSlot(2, chat(11, 12, 13, 14), last_used=9),
    ]
    # It shares the system prompt with the victim itself: nothing to copy.
    assert choose_slot(chat(5), slots, anchor(5)) == SlotChoice(1, len(SYSTEM))


def test_a_busy_slot_can_lend_its_prefix_but_is_never_taken() -> None:
    slots = [
        CachedSlot(0, chat(1, 2), last_used=5, idle=False),
        CachedSlot(1, chat(7), last_used=3),
    ]
    # The busy slot matches the follow-up best, but only the idle one can take it.
    choice = choose_slot(chat(1, 2, 3), slots, anchor(1))
    assert choice == SlotChoice(1, len(chat(1, 2)), copy_from=0)


def test_a_short_shared_prefix_is_decoded_again_rather_than_copied() -> None:
    short = list(range(MIN_COPY_TOKENS - 1))
    slots = [
        CachedSlot(0, short + [1, 2, 3] * 20, last_used=5),
        CachedSlot(1, [], last_used=0),
    ]
    assert choose_slot(short + [9, 9], slots, anchor=len(short) + 1) == SlotChoice(1, 0)


def test_reuse_leaves_one_prompt_token_to_decode() -> None:
    # The same prompt again: its last token must be decoded to get logits to sample from.
    slots = [CachedSlot(0, chat(1, 2), last_used=1)]
    assert choose_slot(chat(1, 2), slots, anchor(1)) == SlotChoice(0, len(chat(1, 2)) - 1)


def test_without_an_anchor_only_a_slot_holding_the_whole_prompt_is_continued() -> None:
    slots = [CachedSlot(0, chat(1, 2), last_used=5), CachedSlot(1, [], last_used=0)]
    assert choose_slot(chat(1, 2, 3), slots) == SlotChoice(0, len(chat(1, 2)))
    assert choose_slot(chat(1, 9), slots) == SlotChoice(1, len(chat(1)), copy_from=0)


def test_equal_matches_prefer_the_least_recently_used_victim() -> None:
    slots = [CachedSlot(i, chat(i + 1, 50), last_used=10 - i) for i in range(4)]
    # Each slot shares only the system prompt; slot 3 was used longest ago.
    assert choose_slot(chat(99), slots, anchor(99)) == SlotChoice(3, len(SYSTEM))


def test_no_idle_slot_is_an_error() -> None:
    with pytest.raises(ValueError, match="no idle slot"):
        choose_slot([1, 2], [CachedSlot(0, [1], last_used=0, idle=False)])


def test_an_empty_slot_next_to_the_running_requests_is_taken_first() -> None:
    slots = [
        CachedSlot(0, chat(1), last_used=1, idle=False),
        CachedSlot(1, chat(2), last_used=2, idle=False),
        CachedSlot(2, [], last_used=0),
        CachedSlot(3, [], last_used=0),
        CachedSlot(4, [], last_used=0),
    ]
    slots.reverse()  # not by the order they are listed in
    assert choose_slot(chat(3), slots, anchor(3)).index == 2


def test_least_recently_used_still_beats_adjacency_among_cached_conversations() -> None:
    # Evicting the fresher conversation next door would lose more than moving costs.
    slots = [
        CachedSlot(0, chat(1), last_used=9, idle=False),
        CachedSlot(1, chat(2), last_used=8),
        CachedSlot(2, chat(3), last_used=1),
    ]
    assert choose_slot(chat(4), slots, anchor(4)).index == 2


@pytest.mark.parametrize(
    ("indices", "expected"),
    [([], 0), ([3], 1), ([0, 1, 2], 1), ([2, 0, 1], 1), ([0, 1, 3], 2), ([0, 2, 4, 6], 4)],
)
def test_runs(indices: list[int], expected: int) -> None:
    assert runs(indices) == expected


def slots_of(layout: str) -> list[CachedSlot]:
    """Build slots from a layout: B busy, c idle with a cached conversation, . idle and empty."""
    return [
        CachedSlot(i, [] if mark == "." else chat(i), last_used=i, idle=mark != "B")
        for i, mark in enumerate(layout)
    ]


@pytest.mark.parametrize(
    ("layout", "moves"),
    [
        ("BBB.....", []),  # already side by side
        ("B.......", []),
        ("........", []),
        ("B.B.....", [(2, 1)]),  # one move closes the gap
        ("BcB.....", [(0, 3)]),  # into empty slots rather than over a cached conversation
        ("BccccccB", [(7, 1)]),  # all cached: the lowest window
        ("..B..B.B", [(2, 6)]),  # the fewest moves: the window around two of them
        ("B.B.B.B.", [(4, 1), (6, 3)]),
    ],
)
def test_compaction_plans_the_fewest_moves(layout: str, moves: list[tuple[int, int]]) -> None:
    plan = plan_compaction(slots_of(layout))
    assert plan == moves
    busy = {i for i, mark in enumerate(layout) if mark == "B"}
    for source, target in plan:
        assert source in busy and target not in busy
        busy = (busy - {source}) | {target}
    assert runs(busy) <= 1
