"""Continuous batching: many conversations decoded together in one llama.cpp context.

One context holds `N_PARALLEL` sequences (slots). Each decode step puts every generating
slot's next token, and a bounded chunk of a newcomer's prompt, into one `llama_batch`; new
requests join between steps and finished or cancelled ones leave without stalling the rest.
A slot keeps its tokens' KV memory after its request ends, so the next turn of the same
conversation only decodes what is new (see `prompt_cache`). Running requests are kept in
neighbouring slots, since llama.cpp decodes one pass per run of consecutive sequence ids.
Everything here runs on the engine's one thread: no other thread touches the context.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from okla.llm_server.jobs import (
    ErrorEvent,
    FinishEvent,
    FinishReason,
    GenerationJob,
    TextEvent,
)
from okla.llm_server.native import Batch, Sampler, SequenceMemory
from okla.llm_server.prompt_cache import (
    CachedSlot,
    SlotChoice,
    choose_slot,
    plan_compaction,
    runs,
)
from okla.llm_server.reply_text import ReplyText
from okla.llm_server.speculation import (
    Acceptance,
    Guess,
    NgramDrafter,
    SpeculationConfig,
    StepCost,
    draft_length,
)

logger = logging.getLogger("okla.llm_server")


@dataclass
class LoadedModel:
    """The llama.cpp handles the scheduler decodes with."""

    context: Any
    n_vocab: int
    n_ctx_seq: int
    is_eog: Callable[[int], bool]
    piece: Callable[[int], bytes]


@dataclass(frozen=True)
class StepStats:
    """What one decode step did."""

    tokens: int
    sequences: int
    runs: int  # runs of consecutive sequence ids: llama.cpp decodes one pass per run
    moves: int  # running requests moved next to the others before this step
    drafted: int = 0  # speculated tokens decoded in this step
    accepted: int = 0  # of those, the ones the sampler agreed with


@dataclass
class Running:
    """The request a slot is decoding and how far it got; it moves with it to another slot."""

    job: GenerationJob
    sampler: Sampler
    text: ReplyText
    max_tokens: int
    admitted: int  # the scheduler's clock at admission: older prompts get the chunks first
    prompt_done: int  # prompt tokens whose KV is computed (or was cached)
    pending: int | None = None  # sampled, its KV not computed yet
    produced: int = 0
    drafter: NgramDrafter | None = None  # with speculation, once the prompt is decoded
    guess: Guess | None = None  # this step's guess when it was not drafted: learnt from


class Slot:
    """One sequence of the context: the tokens in its KV memory and the request decoding in it."""

    def __init__(self, index: int) -> None:
        self.index = index  # also the llama.cpp sequence id
        self.tokens: list[int] = []  # tokens whose KV is in memory, in position order
        self.last_used = 0
        self.running: Running | None = None

    def view(self) -> CachedSlot:
        """Return the slot as the prompt cache sees it."""
        return CachedSlot(self.index, self.tokens, self.last_used, self.running is None)


class Scheduler:
    """Admit queued jobs into slots and decode all active slots together, step by step."""

    def __init__(
        self,
        loaded: LoadedModel,
        *,
        n_parallel: int,
        n_batch: int,
        prompt_chunk: int,
        speculation: SpeculationConfig | None = None,
        on_step: Callable[[StepStats], None] | None = None,
        on_done: Callable[[GenerationJob], None] | None = None,
    ) -> None:
        self._loaded = loaded
        self._ctx = loaded.context.ctx
        self._kv = SequenceMemory(self._ctx)
        self._slots = [Slot(i) for i in range(n_parallel)]
        self._capacity = max(n_batch, n_parallel)
        self._prompt_chunk = max(1, min(prompt_chunk, self._capacity))
        self._batch = Batch(self._capacity)
        self._speculation = speculation
        self._acceptance = Acceptance()
        self._step_cost = StepCost(speculation.token_cost if speculation else None)
        self._on_step = on_step
        self._on_done = on_done
        self._waiting: deque[GenerationJob] = deque()
        self._cond = threading.Condition()
        self._stopping = False
        self._busy = 0
        self._reshaped = False  # a request started or ended since the last compaction
        self._clock = 0
        self.served = 0
        self.moves = 0
        self.recent: deque[tuple[int, float]] = deque(maxlen=32)

    # Called on the event loop (thread-safe)

    @property
    def n_parallel(self) -> int:
        """Return how many sequences decode at once."""
        return len(self._slots)

    @property
    def busy(self) -> int:
        """Return how many slots hold a running request."""
        return self._busy

    @property
    def waiting(self) -> int:
        """Return how many accepted requests wait for a slot to free up.

        Requests for which a slot is already free are not counted: they start at the end of
        the decode step under way.
        """
        with self._cond:
            return max(0, len(self._waiting) - (len(self._slots) - self._busy))

    def cached_tokens(self) -> int:
        """Return how many tokens the slots hold in KV memory."""
        return sum(len(slot.tokens) for slot in self._slots)

    def enqueue(self, job: GenerationJob, max_waiting: int) -> bool:
        """Queue a job unless more than `max_waiting` would wait for a slot."""
        with self._cond:
            free = len(self._slots) - self._busy
            if len(self._waiting) >= max_waiting + free:
                return False
            self._waiting.append(job)
            self._cond.notify()
        return True

    def withdraw(self, job: GenerationJob) -> bool:
        """Take a job out of the queue; False if it already reached a slot."""
        with self._cond:
            try:
                self._waiting.remove(job)
            except ValueError:
                return False
        return True

    def stop(self) -> None:
        """Ask the engine thread to cancel everything and return from `run`."""
        with self._cond:
            self._stopping = True
            self._cond.notify()

    # The engine thread

    def run(self) -> None:
        """Serve until `stop` is called."""
        try:
            while True:
                with self._cond:
                    while not self._stopping and not self._waiting and self._busy == 0:
                        self._cond.wait()
                    if self._stopping:
                        break
                    free = len(self._slots) - self._busy
                    jobs = [self._waiting.popleft() for _ in range(min(free, len(self._waiting)))]
                    self._busy += len(jobs)
                # One at a time: each choice must see the slots as the previous one left them.
                for job in jobs:
                    self._admit(job)
                if self._busy:
                    self._step_safely()
        finally:
            self._shutdown()

    def _admit(self, job: GenerationJob) -> None:
        view = [slot.view() for slot in self._slots]
        choice = choose_slot(job.prompt_tokens, view, job.anchor)
        self._start(self._slots[choice.index], job, choice)

    def _start(self, slot: Slot, job: GenerationJob, choice: SlotChoice) -> None:
        reuse = choice.reuse
        if choice.copy_from is not None:
            source = self._slots[choice.copy_from]
            # The whole sequence is copied; the tail past the shared prefix is dropped after.
            slot.tokens = []
            try:
                self._kv.copy(source.index, slot.index)
                slot.tokens = source.tokens[:reuse]
            except RuntimeError:
                logger.exception("Copying a cached prompt failed; the prompt is decoded anew")
                self._kv.forget(slot.index)
                reuse = 0
        if reuse < len(slot.tokens) or choice.copy_from is not None:
            if not self._kv.trim(slot.index, reuse):
                self._kv.forget(slot.index)
                reuse = 0
            del slot.tokens[reuse:]
        job.cached_tokens = reuse
        job.started_at = time.perf_counter()
        self._reshaped = True
        self._clock += 1
        slot.running = Running(
            job=job,
            sampler=Sampler(job.params, self._loaded.n_vocab),
            text=ReplyText(job.params.stop),
            max_tokens=max(
                0, min(job.params.max_tokens, self._loaded.n_ctx_seq - len(job.prompt_tokens))
            ),
            admitted=self._clock,
            prompt_done=reuse,
        )

    def _step_safely(self) -> None:
        try:
            self._step()
        except Exception as exc:  # a failure must end the requests, never the engine thread
            logger.exception("Decode step failed")
            for slot in self._slots:
                if slot.running is not None:
                    self._fail(slot, f"Generation failed: {exc}")

    def _step(self) -> None:
        for slot in self._slots:
            if slot.running is not None and slot.running.job.cancelled:
                self._finish(slot, "cancelled")
        moves = self._compact()
        active = [(slot, slot.running) for slot in self._slots if slot.running is not None]
        if not active:
            return
        drafts = self._drafts(active)
        drafted = sum(len(draft.tokens) for draft in drafts.values())
        decoding = sum(1 for _, running in active if running.pending is not None)
        room = self._capacity - decoding - drafted
        # A newcomer's prompt goes in bounded chunks while others stream, so their next
        # tokens are never held up by a whole prompt; alone, it takes the whole batch.
        left = min(room, self._prompt_chunk) if decoding else room
        chunks: dict[int, int] = {}
        for slot, running in sorted(active, key=lambda pair: pair[1].admitted):
            if running.pending is None and left > 0:
                take = min(left, len(running.job.prompt_tokens) - running.prompt_done)
                chunks[slot.index] = take
                left -= take

        batch = self._batch
        batch.clear()
        outputs: list[tuple[Slot, int]] = []
        involved: list[Slot] = []
        # Sequences in id order: llama.cpp splits a batch of separate KV streams into one
        # micro-batch per run of consecutive sequence ids.
        for slot, running in active:
            if running.pending is not None:
                index = batch.add(running.pending, len(slot.tokens), slot.index, True)
                slot.tokens.append(running.pending)
                running.pending = None
                # The draft goes right after the token it continues, each with its logits.
                draft = drafts.get(slot.index)
                for token in draft.tokens if draft is not None else ():
                    batch.add(token, len(slot.tokens), slot.index, True)
                    slot.tokens.append(token)
                outputs.append((slot, index))
                involved.append(slot)
            elif chunks.get(slot.index):
                prompt = running.job.prompt_tokens
                start, end = running.prompt_done, running.prompt_done + chunks[slot.index]
                last = len(prompt) - 1
                for pos in range(start, end):
                    index = batch.add(prompt[pos], pos, slot.index, pos == last)
                slot.tokens.extend(prompt[start:end])
                running.prompt_done = end
                if end == len(prompt):
                    outputs.append((slot, index))
                    if self._speculation is not None:
                        running.drafter = NgramDrafter(prompt, self._speculation)
                involved.append(slot)
        if not batch.n_tokens:
            return

        started = time.perf_counter()
        status = batch.decode(self._ctx)
        if self._speculation is not None and len(involved) == 1 and not any(chunks.values()):
            self._step_cost.record(batch.n_tokens, time.perf_counter() - started)
        if status != 0:
            for slot in involved:
                self._fail(slot, f"llama_decode failed with status {status}.")
            return
        ctx = self._ctx
        accepted = 0
        for slot, index in outputs:
            assert slot.running is not None
            draft = drafts.get(slot.index)
            if draft:
                accepted += self._verify(slot, index, draft)
            else:
                running = slot.running
                token = running.sampler.sample(ctx, index)
                if running.guess is not None:
                    self._acceptance.record(running.guess.match, token == running.guess.tokens[0])
                    running.guess = None
                self._accept(slot, token)
        if self._on_step is not None:
            step = StepStats(
                batch.n_tokens,
                len(involved),
                runs(slot.index for slot in involved),
                moves,
                drafted,
                accepted,
            )
            self._on_step(step)

    def _drafts(self, active: list[tuple[Slot, Running]]) -> dict[int, Guess]:
        """Return the drafts to decode for each streaming sequence, by slot index.

        Each sequence's guess is cut to the length worth its cost (`draft_length`). llama.cpp
        decodes separate KV streams in micro-batches that take as many tokens from each
        sequence: a draft for some sequences and not others would cost another pass of the
        whole model that the others wait for. So with several streaming sequences, either each
        gets a draft of one common length, within the step's budget, or none does. A guess not
        drafted is kept to learn from once the token it guessed is sampled.
        """
        config = self._speculation
        if config is None:
            return {}
        decoding = [(slot, running) for slot, running in active if running.pending is not None]
        if not decoding:
            return {}
        n = len(decoding)
        per_sequence = min(config.draft_max, config.step_budget // n, self._capacity // n - 1)
        if per_sequence <= 0:
            return {}
        share = self._step_cost.share
        guesses: dict[int, Guess] = {}
        common = per_sequence
        for slot, running in decoding:
            # The pending token is produced once decoded, and each accepted draft token one
            # more: stay within max_tokens and the sequence's context.
            limit = min(
                per_sequence,
                running.max_tokens - running.produced - 1,
                self._loaded.n_ctx_seq - 1 - len(slot.tokens),
            )
            guess = running.drafter.guess(limit) if running.drafter is not None else None
            running.guess = guess
            common = min(common, draft_length(guess, self._acceptance, share) if guess else 0)
            if guess is not None:
                guesses[slot.index] = guess
        if common == 0:
            return {}
        for _, running in decoding:
            running.guess = None  # drafted: its verification is what is learnt from
        return {
            index: Guess(guess.tokens[:common], guess.match) for index, guess in guesses.items()
        }

    def _verify(self, slot: Slot, index: int, guess: Guess) -> int:
        """Sample after the pending token and along the draft while the sampler agrees.

        Return how many draft tokens were kept. Each position is sampled exactly as it would
        be one step at a time, so the reply doesn't change: at temperature 0 the greedy token;
        above it, a draw whose outcome decides acceptance (for a draft that is one guessed
        token, rejection sampling accepts it with the model's probability of it, and
        otherwise draws from the rest of the distribution: what the ordinary draw does).
        The KV memory of the draft tokens past the first disagreement is removed.
        """
        running = slot.running
        assert running is not None
        draft = guess.tokens
        first_draft = len(slot.tokens) - len(draft)
        kept = 0
        for offset in range(len(draft) + 1):
            token = running.sampler.sample(self._ctx, index + offset)
            if not self._accept(slot, token) or running.job.cancelled:
                break
            if offset == len(draft):
                break
            self._acceptance.record(guess.match + offset, token == draft[offset])
            if token != draft[offset]:
                break
            # The draft token is this one, and its KV memory is already computed.
            running.pending = None
            kept += 1
        valid = first_draft + kept
        if valid < len(slot.tokens):
            del slot.tokens[valid:]
            self._kv.trim(slot.index, valid)
        return kept

    def _compact(self) -> int:
        """Move running requests next to each other; return how many moved.

        Each moved request swaps KV memory with an idle slot, so the idle conversation keeps
        its cache. A whole-stream copy costs about as much as one extra decode pass, which a
        gap would cost on every step until the request ends.
        """
        if not self._reshaped:  # the running requests are still where the last step left them
            return 0
        self._reshaped = False
        moves = plan_compaction([slot.view() for slot in self._slots])
        for source, target in moves:
            self._swap(self._slots[source], self._slots[target])
        self.moves += len(moves)
        return len(moves)

    def _swap(self, busy: Slot, idle: Slot) -> None:
        kv = self._kv
        try:
            if busy.tokens and idle.tokens:
                kv.swap(busy.index, idle.index)
            elif busy.tokens:
                kv.move(busy.index, idle.index)
            elif idle.tokens:
                kv.move(idle.index, busy.index)
        except Exception:
            # Half-moved memory must not pass for either slot's cache.
            for slot in (busy, idle):
                kv.forget(slot.index)
                slot.tokens.clear()
            raise
        busy.tokens, idle.tokens = idle.tokens, busy.tokens
        busy.last_used, idle.last_used = idle.last_used, busy.last_used
        with self._cond:
            busy.running, idle.running = idle.running, busy.running

    def _accept(self, slot: Slot, token: int) -> bool:
        """Take a sampled token into the reply; return whether the reply goes on."""
        running = slot.running
        assert running is not None
        job = running.job
        if self._loaded.is_eog(token):
            self._finish(slot, "stop")
            return False
        running.produced += 1
        job.completion_tokens = running.produced
        if job.first_token_at is None:
            job.first_token_at = time.perf_counter()
        shown, stopped = running.text.push(self._loaded.piece(token))
        if shown:
            job.emit(TextEvent(shown))
        if stopped:
            self._finish(slot, "stop")
        elif running.produced >= running.max_tokens:
            self._finish(slot, "length")
        else:
            running.pending = token
            if running.drafter is not None:
                running.drafter.append(token)
            return True
        return False

    def _finish(self, slot: Slot, reason: FinishReason) -> None:
        running = slot.running
        assert running is not None
        job = running.job
        if reason != "cancelled":
            rest = running.text.flush()
            if rest:
                job.emit(TextEvent(rest))
        job.emit(FinishEvent(reason, len(job.prompt_tokens), running.produced, job.cached_tokens))
        self._release(slot, running)

    def _fail(self, slot: Slot, message: str) -> None:
        running = slot.running
        assert running is not None
        running.job.emit(ErrorEvent(message))
        # The sequence's KV memory may be half-written: forget it.
        self._kv.forget(slot.index)
        slot.tokens.clear()
        self._release(slot, running)

    def _release(self, slot: Slot, running: Running) -> None:
        job = running.job
        job.finished_at = now = time.perf_counter()
        if job.first_token_at is not None and running.produced > 1:
            self.recent.append((running.produced - 1, now - job.first_token_at))
        running.sampler.close()
        self._clock += 1
        self._reshaped = True
        slot.last_used = self._clock
        self.served += 1
        with self._cond:
            slot.running = None
            self._busy -= 1
        if self._on_done is not None:
            job.loop.call_soon_threadsafe(self._on_done, job)

    def _shutdown(self) -> None:
        for slot in self._slots:
            if slot.running is not None:
                self._finish(slot, "cancelled")
        with self._cond:
            left, self._waiting = list(self._waiting), deque()
        for job in left:
            job.loop.call_soon_threadsafe(job.finish_unstarted)
        self._batch.close()
