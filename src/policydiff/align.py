"""Old clauses x new clauses -> alignment records, by content rather than numbering.

Stages, in order (docs/pipeline.md; the knobs are `AlignParams` in model.py):
1. equal match keys pair first (script, width and numbering do not count);
2. the rest pair greedily by rapidfuzz similarity, best first, above a threshold;
3. sentences paired out of their section's context pair again with a bonus for
   keeping to it (repeated formulas stay in their articles);
4. leftover clauses join a neighbour's pair when that makes the pair more alike
   (a split or a merge), pair as a run of neighbours with a leftover on the other
   side, or join a pair of their section whose other side they lead into;
5. headings pair by title and by the clauses under them;
6. leftovers are rescued: a sentence grown into a longer one in the corresponding
   section, a sentence merged into one of another section, a lone survivor under
   paired headings or articles, a list item read as a title on one side;
7. pairs off the heaviest increasing subsequence of new positions are `moved`.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from heapq import heappop, heappush, nlargest

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel

from .model import Alignment, AlignParams, Clause, ClauseKind, ClauseStatus, DiffOp, DiffSegment
from .normalise import canonical, fold_round_trip, fold_width, to_simplified
from .patterns import BULLET, heading_style, without_marker
from .segment import title_of
from .words import words

DEFAULT_PARAMS = AlignParams()

# Phrases end at these outside brackets and quotes (match keys fold ，；： to half width).
_PHRASE_ENDS = ",;:"
_PAIRED_MARKS = {"(": ")", "[": "]", "《": "》", "“": "”", "‘": "’", '"': '"'}


Path = tuple[str, ...]


@dataclass
class _Group:
    """A pairing under construction: indices into the old and new clause lists."""

    old: list[int]
    new: list[int]
    exact: bool


def _similarity(old_keys: Sequence[str], new_keys: Sequence[str]) -> float:
    return float(fuzz.ratio("".join(old_keys), "".join(new_keys)))


def lead_phrase(key: str, min_chars: int = DEFAULT_PARAMS.lead_min_chars) -> str:
    """The first phrase of a match key that is long enough to state an action.

    >>> lead_phrase('同时,坚持“稳中求进,以进促稳”的总基调,推动产业升级')
    '坚持“稳中求进,以进促稳”的总基调'
    """
    closing: list[str] = []
    start = 0
    for index, char in enumerate(key):
        if closing and char == closing[-1]:  # first: a straight quote " closes itself
            closing.pop()
        elif char in _PAIRED_MARKS:
            closing.append(_PAIRED_MARKS[char])
        elif char in _PHRASE_ENDS and not closing:
            if index - start >= min_chars:
                return key[start:index]
            start = index + 1
    return key[start:] if len(key) - start >= min_chars else key


def shares_lead(old_key: str, new_key: str, params: AlignParams = DEFAULT_PARAMS) -> bool:
    """Whether the lead phrase of either key is found in the other.

    >>> shares_lead("支持企业上云,新增上云企业500家", "大力推进数字化,支持企业上云")
    True
    >>> shares_lead("加强耕地保护,推动乡村振兴", "发展海洋经济,推动乡村振兴")
    False
    """
    return any(
        fuzz.partial_ratio(lead_phrase(one, params.lead_min_chars), other) >= params.lead_found_min
        for one, other in ((old_key, new_key), (new_key, old_key))
    )


def _pair_exact(old: Sequence[Clause], new: Sequence[Clause], params: AlignParams) -> list[_Group]:
    """Pair clauses with equal match keys.

    A key that stands more than once (（责任单位：市市场监管局） under several items)
    pairs by where its clauses stand: the most alike section titles first, then
    the nearest relative position in the document. An edited note elsewhere must
    not pull the others out of place. A key standing on more than
    `exact_rank_max` pairs ranks by equal section, then position, in near-linear time.
    """
    olds: dict[tuple[str, str], list[int]] = defaultdict(list)
    news: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, clause in enumerate(old):
        olds[(clause.kind.value, clause.key)].append(i)
    for j, clause in enumerate(new):
        news[(clause.kind.value, clause.key)].append(j)
    groups = []
    places = _Places()
    for key, old_side in olds.items():
        new_side = news.get(key, [])
        if not new_side:
            continue
        if len(old_side) == 1 and len(new_side) == 1:
            groups.append(_Group(old_side, new_side, exact=True))
            continue
        if len(old_side) * len(new_side) > params.exact_rank_max:
            pairs = _pair_by_place(old, new, old_side, new_side)
            groups.extend(_Group([i], [j], exact=True) for i, j in pairs)
            continue
        old_order, new_order = _ordinals(old, old_side), _ordinals(new, new_side)
        ranked = sorted(
            (
                -places.likeness(old[i].path, new[j].path),
                old_order[i] != new_order[j],
                abs(i / len(old) - j / len(new)),
                i,
                j,
            )
            for i in old_side
            for j in new_side
        )
        groups.extend(_one_to_one([(score, i, j) for score, _, _, i, j in ranked], exact=True))
    groups.sort(key=lambda g: g.old[0])
    return groups


def _key_ordinals(clauses: Sequence[Clause], indices: set[int]) -> dict[int, int]:
    """_ordinals for each key among `indices`."""
    by_key: dict[str, list[int]] = defaultdict(list)
    for k in sorted(indices):
        by_key[clauses[k].key].append(k)
    order: dict[int, int] = {}
    for members in by_key.values():
        order.update(_ordinals(clauses, members))
    return order


def _ordinals(clauses: Sequence[Clause], indices: Sequence[int]) -> dict[int, int]:
    """For clauses of one key, which occurrence in its own section each is (0, 1, …):
    the second 逾期未改正的，处一万元罚款 of an article pairs with the second."""
    seen: Counter[Path] = Counter()
    order = {}
    for k in indices:
        order[k] = seen[clauses[k].path]
        seen[clauses[k].path] += 1
    return order


class _Places:
    """How alike the sections two clauses stand in are (0-100), numbering aside; cached."""

    def __init__(self) -> None:
        self._seen: dict[tuple[tuple[str, ...], tuple[str, ...]], float] = {}

    def likeness(self, old_path: tuple[str, ...], new_path: tuple[str, ...]) -> float:
        found = self._seen.get((old_path, new_path))
        if found is None:
            old_place = "/".join(_numbering_free(old_path))
            new_place = "/".join(_numbering_free(new_path))
            found = self._seen[(old_path, new_path)] = float(fuzz.ratio(old_place, new_place))
        return found


def _pair_by_place(
    old: Sequence[Clause], new: Sequence[Clause], old_side: list[int], new_side: list[int]
) -> list[tuple[int, int]]:
    """Occurrences of one repeated key paired in the same section (numbering aside)
    first, then across sections; each time the nearest relative positions first."""
    by_place_old: dict[tuple[str, ...], list[int]] = defaultdict(list)
    by_place_new: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i in old_side:
        by_place_old[_numbering_free(old[i].path)].append(i)
    for j in new_side:
        by_place_new[_numbering_free(new[j].path)].append(j)
    pairs: list[tuple[int, int]] = []
    for place, olds in by_place_old.items():
        if place in by_place_new:
            pairs.extend(_nearest_first(olds, by_place_new[place], len(old), len(new)))
    paired_old = {i for i, _ in pairs}
    paired_new = {j for _, j in pairs}
    pairs.extend(
        _nearest_first(
            [i for i in old_side if i not in paired_old],
            [j for j in new_side if j not in paired_new],
            len(old),
            len(new),
        )
    )
    return pairs


def _nearest_first(
    olds: list[int], news: list[int], old_size: int, new_size: int
) -> list[tuple[int, int]]:
    """Greedy one-to-one pairing of positions (each list ascending) by the distance
    of their relative places in the two documents, nearest first, ties in document
    order; what ranking every pair would give, in O((m + n) log(m + n)).

    >>> _nearest_first([0, 5, 9], [1, 2, 9], 10, 10)
    [(9, 9), (0, 1), (5, 2)]
    """
    if not olds or not news:
        return []
    spots = [j / new_size for j in news]
    right = list(range(len(news) + 1))  # the first free index at or after k
    left = list(range(len(news) + 1))  # the last free index before k, plus one

    def find(links: list[int], k: int) -> int:
        root = k
        while links[root] != root:
            root = links[root]
        while links[k] != root:
            links[k], k = root, links[k]
        return root

    heap: list[tuple[float, int, int]] = []

    def offer(i: int) -> None:
        spot = i / old_size
        k = bisect_left(spots, spot)
        after = find(right, k)
        before = find(left, k) - 1
        for m in (before, after):
            if 0 <= m < len(news):
                heappush(heap, (abs(spot - spots[m]), i, m))

    for i in olds:
        offer(i)
    pairs = []
    done: set[int] = set()
    taken = [False] * len(news)
    while heap and len(done) < len(olds):
        _, i, m = heappop(heap)
        if i in done:
            continue
        if taken[m]:
            offer(i)
            continue
        taken[m] = True
        done.add(i)
        right[m] = m + 1
        left[m + 1] = m
        pairs.append((i, news[m]))
    return pairs


def _bigrams(text: str) -> set[str]:
    return {text[k : k + 2] for k in range(len(text) - 1)} or {text}


def _candidates(
    old_keys: dict[int, str],
    new_keys: dict[int, str],
    params: AlignParams,
    exhaustive: int | None = None,
) -> dict[int, dict[int, str]]:
    """For each old clause, the new clauses worth scoring.

    Up to `exhaustive_pairs` pairs every clause is scored against every other. Past
    that, the new clauses sharing the most of an old clause's rarest character
    bigrams (`block_candidates` of them, the nearest in relative position among
    equals), counting over its rarest bigrams until they reach `block_postings`
    clauses: the scoring then grows with the documents, not with their product.
    """
    limit = params.exhaustive_pairs if exhaustive is None else exhaustive
    if len(old_keys) * len(new_keys) <= limit:
        return {i: new_keys for i in old_keys}
    index: dict[str, list[int]] = defaultdict(list)
    for j, key in new_keys.items():
        for gram in _bigrams(key):
            index[gram].append(j)
    old_size = max(old_keys) + 1
    new_size = max(new_keys) + 1
    chosen: dict[int, dict[int, str]] = {}
    for i, key in old_keys.items():
        # rarest first; equal rarity in character order, so the cut never depends
        # on the order a set happens to iterate in
        grams = sorted((len(index[gram]), gram) for gram in _bigrams(key) if gram in index)
        shared: Counter[int] = Counter()
        used = 0
        for size, gram in grams:
            used += size
            if used > params.block_postings:
                break
            shared.update(index[gram])
        if len(shared) > params.block_candidates:
            # the least count that makes the cut, found in C; only the clauses at or
            # above it are ranked by count and nearness
            least = nlargest(params.block_candidates, shared.values())[-1]
            spot = i / old_size
            ranked = sorted(
                (-count, abs(j / new_size - spot), j)
                for j, count in shared.items()
                if count >= least
            )
            best = [j for *_, j in ranked[: params.block_candidates]]
        else:
            spot = i / old_size
            best = [
                j for *_, j in sorted((-c, abs(j / new_size - spot), j) for j, c in shared.items())
            ]
        chosen[i] = {j: new_keys[j] for j in best}
    return chosen


def _scores(
    old: Sequence[Clause],
    new: Sequence[Clause],
    free_old: list[int],
    free_new: list[int],
    cutoff: float,
    params: AlignParams,
) -> dict[tuple[int, int], float]:
    """Similarity (0-100) of the clause pairs of one kind at or above `cutoff`."""
    old_keys = {i: old[i].key for i in free_old}
    new_keys = {j: new[j].key for j in free_new}
    found: dict[tuple[int, int], float] = {}
    for i, choices in _candidates(old_keys, new_keys, params).items():
        for _, score, j in process.extract(
            old_keys[i], choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
        ):
            if old[i].kind is new[j].kind:
                found[(i, j)] = float(score)
    return found


def _one_to_one(ranked: Sequence[tuple[float, int, int]], *, exact: bool = False) -> list[_Group]:
    """Greedy pairing, best first: `ranked` holds (-score, old index, new index), sorted."""
    taken_old: set[int] = set()
    taken_new: set[int] = set()
    groups = []
    for _, i, j in ranked:
        if i not in taken_old and j not in taken_new:
            taken_old.add(i)
            taken_new.add(j)
            groups.append(_Group([i], [j], exact=exact))
    return groups


def _pair_fuzzy(
    old: Sequence[Clause],
    new: Sequence[Clause],
    free_old: list[int],
    free_new: list[int],
    cutoff: float,
    params: AlignParams,
) -> list[_Group]:
    if not free_old or not free_new:
        return []
    scores = _scores(old, new, free_old, free_new, cutoff, params)
    return _one_to_one(
        sorted(
            (-score, i, j)
            for (i, j), score in scores.items()
            if _may_pair(old[i], new[j], score, params)
        )
    )


def _absorb_neighbours(
    groups: list[_Group],
    old: Sequence[Clause],
    new: Sequence[Clause],
    free_old: set[int],
    free_new: set[int],
    params: AlignParams,
) -> None:
    """Let a leftover clause next to a paired one join it: a split or a merge."""
    changed = True
    while changed:
        changed = False
        for group in groups:
            for side, clauses, free in (("old", old, free_old), ("new", new, free_new)):
                members: list[int] = getattr(group, side)
                other = group.new if side == "old" else group.old
                if len(other) != 1 or len(members) >= params.max_group:
                    continue
                other_key = (new if side == "old" else old)[other[0]].key
                for candidate in (min(members) - 1, max(members) + 1):
                    if (
                        candidate not in free
                        or clauses[candidate].kind is not clauses[members[0]].kind
                    ):
                        continue
                    if (
                        fuzz.partial_ratio(clauses[candidate].key, other_key)
                        < params.containment_min
                    ):
                        continue
                    current = [clauses[k].key for k in sorted(members)]
                    joined = [clauses[k].key for k in sorted([*members, candidate])]
                    if (
                        _similarity(joined, [other_key])
                        >= _similarity(current, [other_key]) + params.join_gain_min
                    ):
                        members.append(candidate)
                        members.sort()
                        free.discard(candidate)
                        group.exact = False
                        changed = True


@dataclass(frozen=True)
class _Context:
    """Where each old section's sentences went, and which old sentences are formulas."""

    expected: dict[Path, Path]
    frequency: Counter[str]

    @staticmethod
    def of(groups: Sequence[_Group], old: Sequence[Clause], new: Sequence[Clause]) -> _Context:
        return _Context.around(_expected_places(groups, old, new), old)

    @staticmethod
    def around(expected: dict[Path, Path], old: Sequence[Clause]) -> _Context:
        frequency = Counter(c.key for c in old if c.kind is ClauseKind.CLAUSE)
        return _Context(expected, frequency)

    def stray_formula(self, old_clause: Clause, new_path: Path) -> bool:
        """An old sentence standing several times (a formula), paired outside its
        section's context."""
        place = self.expected.get(old_clause.path)
        return place is not None and place != new_path and self.frequency[old_clause.key] > 1


def _pair_runs(
    old: Sequence[Clause],
    new: Sequence[Clause],
    free_old: set[int],
    free_new: set[int],
    cutoff: float,
    params: AlignParams,
    context: _Context,
) -> list[_Group]:
    """Pair a leftover clause with a run of leftover neighbours on the other side.

    Runs are tried around the clause's likeliest counterparts (see _candidates); a
    formula does not pair out of its section's context (see _repair_in_context).
    """
    groups: list[_Group] = []
    for one_side, many_side, one_free, many_free, flip in (
        (old, new, free_old, free_new, False),
        (new, old, free_new, free_old, True),
    ):
        near = _candidates(
            {i: one_side[i].key for i in one_free},
            {j: many_side[j].key for j in many_free},
            params,
        )
        for i in sorted(one_free):
            best: tuple[float, list[int]] | None = None
            around = {s for j in near[i] for s in range(j - params.max_group + 1, j + 1)}
            for start in sorted(around & many_free):
                if many_side[start].kind is not one_side[i].kind:
                    continue
                if flip and context.stray_formula(many_side[start], one_side[i].path):
                    continue
                if not flip and context.stray_formula(one_side[i], many_side[start].path):
                    continue
                run = [start]
                while len(run) < params.max_group and run[-1] + 1 in many_free:
                    run.append(run[-1] + 1)
                    if many_side[run[-1]].kind is not one_side[i].kind:
                        break
                    joined = "".join(many_side[k].key for k in run)
                    score = _similarity([joined], [one_side[i].key])
                    if (
                        score >= cutoff
                        and (best is None or score > best[0])
                        and _leads_agree(one_side[i].kind, joined, one_side[i].key, score, params)
                    ):
                        best = (score, list(run))
            if best is None:
                continue
            one_free.discard(i)
            many_free.difference_update(best[1])
            group = _Group(best[1], [i], False) if flip else _Group([i], best[1], False)
            groups.append(group)
    return groups


def _expected_places(
    groups: Sequence[_Group], old: Sequence[Clause], new: Sequence[Clause]
) -> dict[Path, Path]:
    """Where the sentences of each old section (an article, an item) went: the new
    section that most of them, weighed by rarity, paired into.

    A sentence whose key stands k times in its document votes 1/k: 构成犯罪的，
    依法追究刑事责任 closing ten articles says little about where its article went,
    the article's own first sentence says much.
    """
    frequency = Counter(c.key for c in old if c.kind is ClauseKind.CLAUSE)
    votes: dict[Path, dict[Path, float]] = defaultdict(lambda: defaultdict(float))
    for group in groups:
        for i in group.old:
            if old[i].kind is not ClauseKind.CLAUSE:
                continue
            for j in group.new:
                votes[old[i].path][new[j].path] += 1 / frequency[old[i].key]
    expected = {}
    for place, counts in votes.items():
        expected[place] = max(counts.items(), key=lambda item: item[1])[0]
    return expected


def _repair_in_context(
    groups: list[_Group],
    old: Sequence[Clause],
    new: Sequence[Clause],
    free_old: set[int],
    free_new: set[int],
    cutoff: float,
    params: AlignParams,
) -> list[_Group]:
    """Re-pair the sentences that paired out of their section's context.

    Laws repeat whole sentences and formulas from article to article (构成犯罪的，
    依法追究刑事责任; 单位有前款行为的，可以并处…罚款): the best-scoring twin of
    such a sentence often stands in another article. A sentence paired into a
    section other than the one its neighbours went to, and every leftover
    sentence, are paired again among themselves with `context_bonus` added to
    pairs that keep to their sections; pairs already in context stay. A sentence
    standing several times in the old text pairs out of its section's context no
    more: a formula of an article that lost it is removed, not moved to a new article.
    """
    expected = _expected_places(groups, old, new)
    kept: list[_Group] = []
    loose_old = set(free_old)
    loose_new = set(free_new)
    for group in groups:
        single = len(group.old) == 1 and len(group.new) == 1
        i, j = group.old[0], group.new[0]
        if (
            single
            and old[i].kind is ClauseKind.CLAUSE
            and old[i].path in expected
            and expected[old[i].path] != new[j].path
        ):
            loose_old.add(i)
            loose_new.add(j)
        else:
            kept.append(group)
    if len(loose_old) == len(free_old):
        return groups
    scores = _scores(old, new, sorted(loose_old), sorted(loose_new), cutoff, params)
    context = _Context.around(expected, old)
    ordinal_old = _key_ordinals(old, loose_old)
    ordinal_new = _key_ordinals(new, loose_new)
    ranked = []
    for (i, j), score in scores.items():
        if not _may_pair(old[i], new[j], score, params):
            continue
        if context.stray_formula(old[i], new[j].path):
            continue  # a formula out of its article's context is no evidence of a pair
        exact = old[i].key == new[j].key
        in_place = expected.get(old[i].path) == new[j].path
        same_order = exact and ordinal_old[i] == ordinal_new[j]
        ranked.append(
            (-(score + params.context_bonus * in_place + 0.5 * exact + 0.25 * same_order), i, j)
        )
    repaired = _one_to_one(sorted(ranked))
    free_old |= loose_old
    free_new |= loose_new
    for group in repaired:
        group.exact = old[group.old[0]].key == new[group.new[0]].key
        free_old.discard(group.old[0])
        free_new.discard(group.new[0])
    return kept + repaired


def _phrases(key: str, min_chars: int) -> list[str]:
    """The phrases of a key, cut at commas, semicolons and colons; connectives aside."""
    return [p for p in re.split(f"[{_PHRASE_ENDS}]", key) if len(p) >= min_chars]


def _found(phrase: str, text: str) -> float:
    """How well (0-100) `phrase` is found inside `text`; a phrase longer than the
    text is not inside it, however well the text is found inside the phrase."""
    if len(phrase) > len(text):
        return float(fuzz.ratio(phrase, text))
    return float(fuzz.partial_ratio(phrase, text))


def _coverage(key: str, others: Sequence[str], params: AlignParams) -> float:
    """The share (0-1, by characters) of a key's phrases found in any of `others`."""
    phrases = _phrases(key, params.lead_min_chars)
    total = sum(len(p) for p in phrases)
    if not total or not others:
        return 0.0
    found = sum(
        len(p)
        for p in phrases
        if max(_found(p, other) for other in others) >= params.phrase_found_min
    )
    return found / total


def _heading_counterparts(
    groups: Sequence[_Group], old: Sequence[Clause], new: Sequence[Clause]
) -> dict[Path, Path]:
    """The new heading path each paired old heading became."""
    counterpart = {}
    for group in groups:
        first_old, first_new = old[group.old[0]], new[group.new[0]]
        if first_old.kind is ClauseKind.HEADING and first_new.kind is ClauseKind.HEADING:
            counterpart[_heading_path(first_old)] = _heading_path(first_new)
    return counterpart


def _pair_contained(
    groups: Sequence[_Group],
    old: Sequence[Clause],
    new: Sequence[Clause],
    free_old: set[int],
    free_new: set[int],
    params: AlignParams,
) -> list[_Group]:
    """Pair leftover sentences of two sections that correspond when the lead of the
    shorter is found in the longer and most of its phrases are: a sentence that
    grew into a long one keeps its action and some of its words (严格落实…要求，
    确保… → 严格落实…要求，坚持…，落实…，狠抓…), too little alike by ratio."""
    expected = _expected_places(groups, old, new)
    headings = _heading_counterparts(groups, old, new)
    olds_by_place: dict[Path, list[int]] = defaultdict(list)
    news_by_place: dict[Path, list[int]] = defaultdict(list)
    for i in sorted(free_old):
        if old[i].kind is ClauseKind.CLAUSE:
            for place in {expected.get(old[i].path), headings.get(old[i].path)}:
                if place is not None:
                    olds_by_place[place].append(i)
    for j in sorted(free_new):
        if new[j].kind is ClauseKind.CLAUSE:
            news_by_place[new[j].path].append(j)
    ranked = []
    for place in sorted(olds_by_place):
        old_keys = {i: old[i].key for i in olds_by_place[place]}
        new_keys = {j: new[j].key for j in news_by_place.get(place, ())}
        if not new_keys:
            continue
        # within one section; a long flat section is blocked like the whole text
        for i, j in (
            (i, j)
            for i, near in _candidates(old_keys, new_keys, params, params.rescue_pairs).items()
            for j in near
        ):
            short, long = sorted((old[i].key, new[j].key), key=len)
            lead = lead_phrase(short, params.lead_min_chars)
            if _found(lead, long) < params.lead_found_min:
                continue
            covered = _coverage(short, [long], params)
            if covered >= params.contained_min:
                ranked.append((-covered, i, j))
    paired = _one_to_one(sorted(ranked))
    for group in paired:
        free_old.discard(group.old[0])
        free_new.discard(group.new[0])
    return paired


def _join_in_section(
    groups: list[_Group],
    old: Sequence[Clause],
    new: Sequence[Clause],
    free_old: set[int],
    free_new: set[int],
    params: AlignParams,
) -> None:
    """A leftover sentence joins a pair in its own section, neighbour or not, when
    it takes up phrases of the other side that the pair left uncovered and leads
    with one of them: a sentence split in two with other sentences put between."""
    kind = ClauseKind.CLAUSE
    for side, clauses, free in (("old", old, free_old), ("new", new, free_new)):
        if not free:
            continue
        for group in groups:
            members: list[int] = getattr(group, side)
            other = group.new if side == "old" else group.old
            if len(other) != 1 or len(members) >= params.max_group:
                continue
            other_key = (new if side == "old" else old)[other[0]].key
            if (new if side == "old" else old)[other[0]].kind is not ClauseKind.CLAUSE:
                continue
            place = clauses[members[0]].path
            before = _coverage(other_key, [clauses[k].key for k in members], params)
            best: tuple[float, int] | None = None
            window = range(min(members) - params.join_window, max(members) + params.join_window + 1)
            for k in window:
                if k not in free or clauses[k].path != place or clauses[k].kind is not kind:
                    continue
                lead = lead_phrase(clauses[k].key, params.lead_min_chars)
                if _found(lead, other_key) < params.lead_found_min:
                    continue
                keys = [clauses[m].key for m in (*members, k)]
                gain = _coverage(other_key, keys, params) - before
                if gain >= params.join_cover_min and (best is None or gain > best[0]):
                    best = (gain, k)
            if best is not None:
                members.append(best[1])
                members.sort()
                free.discard(best[1])
                group.exact = False


def _join_from_elsewhere(
    groups: list[_Group],
    old: Sequence[Clause],
    new: Sequence[Clause],
    free_old: set[int],
    free_new: set[int],
    params: AlignParams,
) -> None:
    """A leftover sentence from another section joins a pair when a sentence of that
    pair holds nearly all of it, lead first, and its pair partner does not: two
    sentences of different sections merged into one (or one split into two)."""
    for side, clauses, free, other_side in (
        ("old", old, free_old, new),
        ("new", new, free_new, old),
    ):
        owner: dict[int, _Group] = {}
        for group in groups:
            members: list[int] = getattr(group, side)
            others = group.new if side == "old" else group.old
            if len(others) == 1 and len(members) < params.max_group:
                owner[others[0]] = group
        if not owner:
            continue
        frequency = Counter(c.key for c in clauses if c.kind is ClauseKind.CLAUSE)
        loose = {
            k: clauses[k].key
            for k in sorted(free)
            if clauses[k].kind is ClauseKind.CLAUSE
            and frequency[clauses[k].key] == 1
            and len(clauses[k].key) >= params.merge_chars_min
        }
        targets = {
            m: other_side[m].key for m in sorted(owner) if other_side[m].kind is ClauseKind.CLAUSE
        }
        if not loose or not targets:
            continue
        ranked = []
        for k, choices in _candidates(loose, targets, params, params.rescue_pairs).items():
            lead = lead_phrase(loose[k], params.lead_min_chars)
            for m, key in choices.items():
                if _found(lead, key) < params.phrase_found_min:
                    continue
                held = _coverage(loose[k], [key], params)
                if held < params.merge_cover_min:
                    continue
                partner_keys = [clauses[n].key for n in getattr(owner[m], side)]
                if held - _coverage(loose[k], partner_keys, params) >= params.merge_cover_min / 2:
                    ranked.append((-held, k, m))
        for _, k, m in sorted(ranked):
            joined: list[int] = getattr(owner[m], side)
            if k in free and len(joined) < params.max_group:
                joined.append(k)
                joined.sort()
                free.discard(k)
                owner[m].exact = False


def _pair_across_kinds(
    old: Sequence[Clause],
    new: Sequence[Clause],
    free_old: set[int],
    free_new: set[int],
    params: AlignParams,
) -> list[_Group]:
    """A leftover heading and a leftover sentence that say nearly the same pair: a
    list item read as a heading on one side and as a sentence on the other."""
    ranked = []
    for kind in ClauseKind:
        old_keys = {i: old[i].key for i in sorted(free_old) if old[i].kind is kind}
        new_keys = {j: new[j].key for j in sorted(free_new) if new[j].kind is not kind}
        if not old_keys or not new_keys:
            continue
        for i, choices in _candidates(old_keys, new_keys, params, params.rescue_pairs).items():
            for _, score, j in process.extract(
                old_keys[i],
                choices,
                scorer=fuzz.ratio,
                score_cutoff=params.across_kinds_min,
                limit=None,
            ):
                ranked.append((-float(score), i, j))
    paired = _one_to_one(sorted(ranked))
    for group in paired:
        group.exact = old[group.old[0]].key == new[group.new[0]].key
        free_old.discard(group.old[0])
        free_new.discard(group.new[0])
    return paired


def _heaviest_increasing(values: Sequence[int], weights: Sequence[int]) -> set[int]:
    """Positions in `values` (distinct) of the increasing subsequence of greatest total
    weight; among equals, the one ending leftmost, each step taking the leftmost.

    align() weighs each pair so that what is reported moved is the least: an
    edited item moved ahead of two unchanged ones is the move, not them.

    >>> sorted(_heaviest_increasing([0, 1, 5, 2, 3, 4], [1, 1, 1, 1, 1, 1]))
    [0, 1, 3, 4, 5]
    >>> sorted(_heaviest_increasing([2, 0, 1], [10, 1, 1]))
    [0]
    """
    rank = {value: k + 1 for k, value in enumerate(sorted(values))}
    size = len(values)
    tree: list[tuple[int, int]] = [(0, 1)] * (size + 1)  # Fenwick prefix max of (weight, -position)
    total = [0] * size
    parent = [-1] * size
    for position, value in enumerate(values):
        best = (0, 1)
        k = rank[value] - 1
        while k > 0:
            best = max(best, tree[k])
            k -= k & -k
        total[position] = best[0] + weights[position]
        parent[position] = -best[1] if best[1] <= 0 else -1
        entry = (total[position], -position)
        k = rank[value]
        while k <= size:
            tree[k] = max(tree[k], entry)
            k += k & -k
    kept: set[int] = set()
    if not size:
        return kept
    position = max(range(size), key=lambda p: (total[p], -p))
    while position != -1:
        kept.add(position)
        position = parent[position]
    return kept


def _split_marker(text: str) -> tuple[str, str]:
    """A leading heading number or bullet, and the rest: ("第七条 ", "为了…")."""
    style = heading_style(text)
    end = style[1] if style else (m.end() if (m := BULLET.match(text)) else 0)
    return text[:end], text[end:]


def word_diff(
    old_text: str, new_text: str, stray_equal_max: int = DEFAULT_PARAMS.stray_equal_max
) -> tuple[DiffSegment, ...]:
    """A word-level diff of two texts, shown in simplified script; width variants
    (（ and () and spacing do not count as changes, and neither does renumbering:
    two leading numbers (第七条 → 第八条) make one equal run holding both."""
    chunks: list[_Chunk] = []
    old_marker, old_rest = _split_marker(old_text)
    new_marker, new_rest = _split_marker(new_text)
    if old_marker and new_marker:
        chunks.append(_Chunk(True, to_simplified(old_marker), to_simplified(new_marker)))
        old_text, new_text = old_rest, new_rest
    old_words = words(to_simplified(old_text))
    new_words = words(to_simplified(new_text))
    old_keys = [fold_width(w).strip() for w in old_words]
    new_keys = [fold_width(w).strip() for w in new_words]
    for opcode in Indel.opcodes(old_keys, new_keys):
        old_part = "".join(old_words[opcode.src_start : opcode.src_end])
        new_part = "".join(new_words[opcode.dest_start : opcode.dest_end])
        _append(chunks, _Chunk(opcode.tag == "equal", old_part, new_part))
    return tuple(_segments(_without_stray_equalities(chunks, stray_equal_max)))


@dataclass
class _Chunk:
    """A run of the diff: equal on both sides, or an edit of `old` into `new`."""

    equal: bool
    old: str
    new: str


def _append(chunks: list[_Chunk], chunk: _Chunk) -> None:
    if chunks and chunks[-1].equal == chunk.equal:
        chunks[-1] = _Chunk(chunk.equal, chunks[-1].old + chunk.old, chunks[-1].new + chunk.new)
    elif chunk.old or chunk.new:
        chunks.append(chunk)


def _without_stray_equalities(chunks: list[_Chunk], stray_equal_max: int) -> list[_Chunk]:
    """Fold a stray equal run (`stray_equal_max` characters at most) between two edits at
    least as long into them, as diff-match-patch's semantic cleanup does: in a
    rewritten sentence a shared 创新 or ， is chance, and splitting the edit around
    it makes the change unreadable. Longer shared runs stay: they carry meaning."""
    changed = True
    while changed:
        changed = False
        for k in range(1, len(chunks) - 1):
            before, middle, after = chunks[k - 1], chunks[k], chunks[k + 1]
            if not middle.equal or before.equal or after.equal:
                continue
            size = len(middle.new)
            if any(char.isdigit() for char in middle.new):
                continue  # a number that stayed is news, never chance: 增长5%左右 → 提高5%以上
            if size <= stray_equal_max and size <= min(
                max(len(before.old), len(before.new)), max(len(after.old), len(after.new))
            ):
                merged = _Chunk(
                    False, before.old + middle.old + after.old, before.new + middle.new + after.new
                )
                chunks[k - 1 : k + 2] = [merged]
                changed = True
                break
    return chunks


def _segments(chunks: list[_Chunk]) -> list[DiffSegment]:
    """Chunks as diff segments, each edit's deletion read before its insertion."""
    segments = []
    for chunk in chunks:
        if chunk.equal:
            old = None if chunk.old == chunk.new else chunk.old
            segments.append(DiffSegment(DiffOp.EQUAL, chunk.new, old))
            continue
        if chunk.old:
            segments.append(DiffSegment(DiffOp.DELETE, chunk.old))
        if chunk.new:
            segments.append(DiffSegment(DiffOp.INSERT, chunk.new))
    return segments


def _heading_path(clause: Clause) -> tuple[str, ...]:
    return (*clause.path, title_of(clause.text))


def _moved_from(
    old_clause: Clause,
    new_clause: Clause,
    counterpart: dict[tuple[str, ...], tuple[str, ...]],
) -> tuple[str, ...] | None:
    """Where the old clause stood, when that place did not become the new clause's; else None.

    A place "became" another when their headings paired, or when they differ only
    in numbering (第五条 -> 第三条 under a paired chapter).
    """
    here = _translate(old_clause.path, counterpart)
    if _numbering_free(here) == _numbering_free(new_clause.path):
        return None
    return old_clause.path


def _translate(
    path: tuple[str, ...], counterpart: dict[tuple[str, ...], tuple[str, ...]]
) -> tuple[str, ...]:
    """An old heading path in the new document's terms, as far as its headings paired."""
    for depth in range(len(path), -1, -1):
        if path[:depth] in counterpart:
            return (*counterpart[path[:depth]], *path[depth:])
    return path


def _numbering_free(path: tuple[str, ...]) -> tuple[str, ...]:
    keys = (canonical(without_marker(title)) for title in path)
    return tuple(key for key in keys if key)


def _own_section(clause: Clause) -> tuple[str, ...]:
    """The section a clause is listed under: a heading opens its own section."""
    return _heading_path(clause) if clause.kind is ClauseKind.HEADING else clause.path


def _pair_last_standing(
    groups: Sequence[_Group],
    old: Sequence[Clause],
    new: Sequence[Clause],
    free_old: set[int],
    free_new: set[int],
    cutoff: float,
    params: AlignParams,
) -> list[_Group]:
    """Under two paired headings, or in two sections (articles) whose other sentences
    paired with each other, a clause left alone on one side pairs with its best
    counterpart on the other at a lower cutoff: the structure vouches for the pair."""
    paired = []
    old_under: dict[tuple[str, ...], list[int]] = defaultdict(list)
    new_under: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i in sorted(free_old):
        old_under[old[i].path].append(i)
    for j in sorted(free_new):
        new_under[new[j].path].append(j)
    places: list[tuple[Path, Path]] = []
    for group in groups:
        if len(group.old) != 1 or len(group.new) != 1:
            continue
        old_head, new_head = old[group.old[0]], new[group.new[0]]
        if old_head.kind is not ClauseKind.HEADING or new_head.kind is not ClauseKind.HEADING:
            continue
        places.append((_heading_path(old_head), _heading_path(new_head)))
    seen = set(places)
    places += sorted(set(_expected_places(groups, old, new).items()) - seen)
    for old_path, new_path in places:
        olds = [i for i in old_under.get(old_path, ()) if i in free_old]
        news = [j for j in new_under.get(new_path, ()) if j in free_new]
        if not olds or not news or (len(olds) > 1 and len(news) > 1):
            continue
        allowed = [
            (score, -i, -j)
            for i in olds
            for j in news
            if (score := _similarity([old[i].key], [new[j].key])) >= cutoff
            and _may_pair(old[i], new[j], score, params)
        ]
        if allowed:
            _, i, j = max(allowed)
            free_old.discard(-i)
            free_new.discard(-j)
            paired.append(_Group([-i], [-j], exact=False))
    return paired


def _may_pair(old_clause: Clause, new_clause: Clause, score: float, params: AlignParams) -> bool:
    return _leads_agree(old_clause.kind, old_clause.key, new_clause.key, score, params)


def _leads_agree(
    kind: ClauseKind, old_key: str, new_key: str, score: float, params: AlignParams
) -> bool:
    """The lead-phrase rule: a sentence pair below `lead_check_below` must share a lead
    (headings are titles, not sentences with an action first)."""
    if kind is not ClauseKind.CLAUSE or score >= params.lead_check_below:
        return True
    return shares_lead(old_key, new_key, params)


def _pair_headings(
    groups: Sequence[_Group],
    old: Sequence[Clause],
    new: Sequence[Clause],
    free_old: list[int],
    free_new: list[int],
    cutoff: float,
    params: AlignParams,
) -> list[_Group]:
    """Pair headings by title and by the clauses their sections share.

    `share` is the Jaccard overlap of the clause pairs under two headings: the
    pairs linking the two sections over all pairs leaving either. A heading pair
    needs the cutoff when its sections share a clause pair, and no title likeness
    at all when they share at least `section_links_min` pairs and `section_share_min`
    of their pairs: then the sections are the same and only the title changed.
    Sharing none, titles need `heading_extra` more, and below twice that more
    the text under them must agree too (`section_content_min`).
    """
    if not free_old or not free_new:
        return []
    old_index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    new_index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i in free_old:
        old_index[_heading_path(old[i])].append(i)
    for j in free_new:
        new_index[_heading_path(new[j])].append(j)
    # Counted by heading path: every heading of one path shares its counts, so a
    # path standing k times costs k, not k * k.
    links: Counter[tuple[tuple[str, ...], tuple[str, ...]]] = Counter()
    leaving: Counter[tuple[str, ...]] = Counter()
    arriving: Counter[tuple[str, ...]] = Counter()
    for group in groups:
        for i in group.old:
            olds = [
                p for n in range(1, len(old[i].path) + 1) if (p := old[i].path[:n]) in old_index
            ]
            for j in group.new:
                news = [
                    p for n in range(1, len(new[j].path) + 1) if (p := new[j].path[:n]) in new_index
                ]
                leaving.update(olds)
                arriving.update(news)
                links.update((a, b) for a in olds for b in news)
    titles = _scores(old, new, free_old, free_new, cutoff, params)
    old_text = _section_texts(old, old_index)
    new_text = _section_texts(new, new_index)

    def accepted(title: float, shared: int, share: float, i: int, j: int) -> bool:
        if shared >= params.section_links_min and share >= params.section_share_min:
            return True
        if shared:
            return title >= cutoff
        if title >= cutoff + 2 * params.heading_extra:
            return True
        if title >= cutoff + params.heading_extra:
            # Titles alike by a little, sharing no clause: what the sections say decides.
            texts = old_text.get(_heading_path(old[i]), ""), new_text.get(_heading_path(new[j]), "")
            if not all(texts):
                return True
            size = params.section_text_max  # the start of a long section says enough
            return fuzz.ratio(texts[0][:size], texts[1][:size]) >= params.section_content_min
        return False

    # Blocks of equal rank: the headings of one old path against those of one new path.
    blocks: list[tuple[float, int, int, list[int], list[int]]] = []
    for old_path, new_path in links:
        i, j = old_index[old_path][0], new_index[new_path][0]
        title = titles.get((i, j)) or float(fuzz.ratio(old[i].key, new[j].key))
        shared = links[(old_path, new_path)]
        share = shared / (leaving[old_path] + arriving[new_path] - shared)
        if accepted(title, shared, share, i, j):
            blocks.append((-(title + 100 * share), i, j, old_index[old_path], new_index[new_path]))
    for (i, j), title in titles.items():
        if (_heading_path(old[i]), _heading_path(new[j])) not in links and accepted(
            title, 0, 0.0, i, j
        ):
            blocks.append((-title, i, j, [i], [j]))
    blocks.sort(key=lambda block: block[:3])
    taken_old: set[int] = set()
    taken_new: set[int] = set()
    paired = []
    for *_, block_old, block_new in blocks:
        k = 0
        for i in block_old:
            if i in taken_old:
                continue
            while k < len(block_new) and block_new[k] in taken_new:
                k += 1
            if k == len(block_new):
                break
            taken_old.add(i)
            taken_new.add(block_new[k])
            paired.append(_Group([i], [block_new[k]], exact=False))
    return paired


def _section_texts(
    clauses: Sequence[Clause], heads: dict[tuple[str, ...], list[int]]
) -> dict[tuple[str, ...], str]:
    """The match keys of the body clauses under each heading path, joined."""
    pieces: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for clause in clauses:
        if clause.kind is ClauseKind.CLAUSE:
            for depth in range(1, len(clause.path) + 1):
                if clause.path[:depth] in heads:
                    pieces[clause.path[:depth]].append(clause.key)
    return {path: "".join(keys) for path, keys in pieces.items()}


def align(
    old: Sequence[Clause],
    new: Sequence[Clause],
    *,
    threshold: float,
    params: AlignParams = DEFAULT_PARAMS,
) -> tuple[Alignment, ...]:
    """Pair the clauses of two documents; every clause lands in exactly one record.

    `threshold` (0-1) is the least similarity for a fuzzy pair. Clauses pair
    first; headings then pair by title, and a pair of headings whose sections
    share no paired clause needs `heading_extra` more similarity.
    """
    cutoff = threshold * 100
    groups = _pair_exact(old, new, params)
    exact_old = {g.old[0] for g in groups}
    exact_new = {g.new[0] for g in groups}
    body_old = [i for i, c in enumerate(old) if i not in exact_old and c.kind is ClauseKind.CLAUSE]
    body_new = [j for j, c in enumerate(new) if j not in exact_new and c.kind is ClauseKind.CLAUSE]
    fuzzy = _pair_fuzzy(old, new, body_old, body_new, cutoff, params)
    groups.extend(fuzzy)
    left_old = set(body_old) - {g.old[0] for g in fuzzy}
    left_new = set(body_new) - {g.new[0] for g in fuzzy}
    groups = _repair_in_context(groups, old, new, left_old, left_new, cutoff, params)
    _absorb_neighbours(groups, old, new, left_old, left_new, params)
    context = _Context.of(groups, old, new)
    groups.extend(_pair_runs(old, new, left_old, left_new, cutoff, params, context))
    _join_in_section(groups, old, new, left_old, left_new, params)

    head_old = [i for i, c in enumerate(old) if i not in exact_old and c.kind is ClauseKind.HEADING]
    head_new = [j for j, c in enumerate(new) if j not in exact_new and c.kind is ClauseKind.HEADING]
    heads = _pair_headings(groups, old, new, head_old, head_new, cutoff, params)
    groups.extend(heads)
    left_old |= set(head_old) - {g.old[0] for g in heads}
    left_new |= set(head_new) - {g.new[0] for g in heads}
    slack = cutoff - params.context_slack
    groups.extend(_pair_contained(groups, old, new, left_old, left_new, params))
    _join_from_elsewhere(groups, old, new, left_old, left_new, params)
    groups.extend(_pair_last_standing(groups, old, new, left_old, left_new, slack, params))
    groups.extend(_pair_across_kinds(old, new, left_old, left_new, params))

    groups.sort(key=lambda g: (min(g.old), min(g.new)))

    # Which new section each old heading became: a record is "from elsewhere" only
    # when its old section did not become its new one, and a removed clause is
    # listed under the new counterpart of its section (or its old one if none).
    counterpart: dict[tuple[str, ...], tuple[str, ...]] = {(): ()}
    for group in groups:
        first_old, first_new = old[group.old[0]], new[group.new[0]]
        if first_old.kind is ClauseKind.HEADING and first_new.kind is ClauseKind.HEADING:
            counterpart[_heading_path(first_old)] = _heading_path(first_new)

    # What stays in order: first the most records still in their own section (one
    # that changed section is the likelier to have moved), then the most records,
    # then the most unchanged ones (an edited item is the likelier to have moved).
    scale = len(groups) + 1
    homes = [_moved_from(old[g.old[0]], new[g.new[0]], counterpart) for g in groups]
    weights = [
        (home is None) * scale * scale + scale + g.exact
        for g, home in zip(groups, homes, strict=True)
    ]
    in_order = _heaviest_increasing([min(g.new) for g in groups], weights)

    # A moved clause whose section heading moved too went along with its section,
    # unless it also changed places among the section's own clauses.
    last_in_section: dict[tuple[str, ...], int] = {}
    moved_heads = {
        _heading_path(new[g.new[0]])
        for position, g in enumerate(groups)
        if position not in in_order and new[g.new[0]].kind is ClauseKind.HEADING
    }

    records: list[tuple[tuple[int, int, int], Alignment]] = []
    new_rank: dict[int, int] = {}
    for position, group in enumerate(groups):
        old_side = tuple(old[i] for i in group.old)
        new_side = tuple(new[j] for j in group.new)
        moved = position not in in_order
        moved_from = homes[position]
        section_path = new_side[0].path
        kept_place = last_in_section.get(section_path, -1) < min(group.new)
        last_in_section[section_path] = max(last_in_section.get(section_path, -1), min(group.new))
        if group.exact:
            status = ClauseStatus.MOVED if moved else ClauseStatus.UNCHANGED
            similarity = 1.0
            # Round-trip forms (批覆 for 批复) are script too: fold them as the keys do.
            script_only = fold_round_trip(old_side[0].normalized) == fold_round_trip(
                new_side[0].normalized
            ) and (old_side[0].text != new_side[0].text)
            diff: tuple[DiffSegment, ...] = ()
        else:
            status = ClauseStatus.MOVED if moved else ClauseStatus.MODIFIED
            similarity = round(
                _similarity([c.key for c in old_side], [c.key for c in new_side]) / 100, 3
            )
            script_only = False
            diff = word_diff(
                "".join(c.text for c in old_side),
                "".join(c.text for c in new_side),
                params.stray_equal_max,
            )
        for i in group.old:
            new_rank[i] = min(group.new)
        records.append(
            (
                (min(group.new), 0, min(group.old)),
                Alignment(
                    status=status,
                    old=old_side,
                    new=new_side,
                    similarity=similarity,
                    edited=not group.exact,
                    script_only=script_only,
                    diff=diff,
                    section=_own_section(new_side[0]),
                    old_section=moved_from,
                    with_section=moved
                    and moved_from is None
                    and section_path in moved_heads
                    and kept_place,
                ),
            )
        )
    rank = -1
    for i in range(len(old)):
        if i in new_rank:
            rank = new_rank[i]  # the paired clause before a removed one in the old text
            continue
        if i not in left_old:
            continue
        own = _own_section(old[i])
        section = _translate(own, counterpart)
        records.append(
            (
                (rank, 1, i),
                Alignment(
                    status=ClauseStatus.REMOVED,
                    old=(old[i],),
                    new=(),
                    similarity=0.0,
                    edited=True,
                    section=section,
                ),
            )
        )
    for j in sorted(left_new):
        records.append(
            (
                (j, 0, -1),
                Alignment(
                    status=ClauseStatus.ADDED,
                    old=(),
                    new=(new[j],),
                    similarity=0.0,
                    edited=True,
                    section=_own_section(new[j]),
                ),
            )
        )
    records.sort(key=lambda record: record[0])
    return tuple(alignment for _, alignment in records)
