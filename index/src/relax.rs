//! Which words to leave out of a query that no paper answers word for word.
//!
//! A question such as `Wie viele Kitaplätze fehlen in Leipzig?` rarely stands in a paper as
//! a whole. The words least worth keeping go first: words in no paper, then the words of a
//! question (`wann`, `viele`, `gibt`; the stop words are never searched), then the commonest
//! words; the rare words that say what the query is about stay. At most half of the words
//! are left out.

/// Words of questions and filler that the stop word list keeps (it keeps modal verbs and
/// other words that can carry meaning in a paper's text), left out before any content word.
/// Sorted, lowercase.
#[rustfmt::skip]
const QUESTION_WORDS: &[&str] = &[
    "aktuell", "bitte", "derzeit", "eigentlich", "gab", "gibt", "kann", "konnte", "konnten",
    "können", "muss", "müssen", "soll", "sollen", "sollte", "sollten", "viel", "viele",
    "vielen", "wann", "warum", "wem", "wen", "wer", "weshalb", "wessen", "weswegen", "wieso",
    "wieviel", "wieviele", "wofür", "woher", "wohin", "womit", "worden", "worüber", "wozu",
    "wurde", "wurden", "würde", "würden",
];

/// The most sets of words tried before giving up.
pub(crate) const MAX_TRIES: usize = 24;
/// The most sets of a size enumerated; beyond it only the heaviest set of the size is tried.
const MAX_SETS_PER_SIZE: usize = 256;

/// Whether `word` (as typed) is a question or filler word.
pub(crate) fn is_question_word(word: &str) -> bool {
    let word = word
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    QUESTION_WORDS.binary_search(&word.as_str()).is_ok()
}

/// How readily a word is left out: a word in no paper most, then by the number of papers it
/// is in. (Question words are only weighed when the query has nothing else, so they need no
/// weight of their own.)
pub(crate) fn weight(papers: u64) -> u64 {
    if papers == 0 {
        // Several of these still add up without overflow (at most MAX_ATOMS words).
        u64::MAX / 64
    } else {
        papers
    }
}

/// The sets of word indices to leave out, in the order to try them: fewer words first, and
/// among sets of a size, the heaviest (by summed [`weight`]) first, each size with its share
/// of the tries. At most half of the words, at most [`MAX_TRIES`] sets; none for fewer than
/// two words.
pub(crate) fn leave_out_order(weights: &[u64]) -> Vec<Vec<usize>> {
    let n = weights.len();
    let mut by_weight: Vec<usize> = (0..n).collect();
    by_weight.sort_by_key(|&at| (std::cmp::Reverse(weights[at]), at));
    let mut order = Vec::new();
    // Every size gets a share of the tries, so that a long query can still lose several
    // words (its heaviest sets first).
    let per_size = (MAX_TRIES / (n / 2).max(1)).max(2);
    for size in 1..=n / 2 {
        let mut sets = if combinations_at_most(n, size, MAX_SETS_PER_SIZE) {
            combinations(n, size)
        } else {
            vec![by_weight[..size].to_vec()]
        };
        let total = |set: &Vec<usize>| set.iter().map(|&at| u128::from(weights[at])).sum::<u128>();
        sets.sort_by(|a, b| total(b).cmp(&total(a)).then_with(|| a.cmp(b)));
        for set in sets.into_iter().take(per_size) {
            if order.len() == MAX_TRIES {
                return order;
            }
            order.push(set);
        }
    }
    order
}

/// Whether `n` choose `k` is at most `limit`.
fn combinations_at_most(n: usize, k: usize, limit: usize) -> bool {
    let mut count: usize = 1;
    for i in 0..k {
        // C(n, i + 1) = C(n, i) * (n - i) / (i + 1), exact at every step.
        count = count * (n - i) / (i + 1);
        if count > limit {
            return false;
        }
    }
    true
}

/// All sets of `k` of the indices `0..n`, each ascending.
fn combinations(n: usize, k: usize) -> Vec<Vec<usize>> {
    let mut all = Vec::new();
    let mut set: Vec<usize> = (0..k).collect();
    loop {
        all.push(set.clone());
        // The rightmost index that can still move right.
        let Some(at) = (0..k).rev().find(|&at| set[at] < n - k + at) else {
            return all;
        };
        set[at] += 1;
        for next in at + 1..k {
            set[next] = set[next - 1] + 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn question_words_are_sorted_and_recognised_as_typed() {
        assert!(QUESTION_WORDS.windows(2).all(|pair| pair[0] < pair[1]));
        assert!(is_question_word("Wann"));
        assert!(is_question_word("viele"));
        assert!(is_question_word("Warum?"));
        assert!(!is_question_word("Kitaplätze"));
    }

    #[test]
    fn lighter_sets_come_later_and_at_most_half_the_words_go() {
        // Words in 5, 300, 0 and 40 papers.
        let weights = [weight(5), weight(300), weight(0), weight(40)];
        let order = leave_out_order(&weights);
        assert_eq!(order[..4], [vec![2], vec![1], vec![3], vec![0]]);
        assert_eq!(order[4], vec![1, 2]);
        assert_eq!(order.len(), 4 + 6);
        assert!(order.iter().all(|set| set.len() <= 2));
        // A word in no paper goes before the commonest word.
        let weights = [weight(900), weight(0)];
        assert_eq!(leave_out_order(&weights), [vec![1], vec![0]]);
        assert!(leave_out_order(&[weight(3)]).is_empty());
    }

    #[test]
    fn many_words_are_bounded() {
        let weights: Vec<u64> = (1..=32).collect();
        let order = leave_out_order(&weights);
        assert!(order.len() <= MAX_TRIES);
        assert_eq!(order[..2], [vec![31], vec![30]]);
        // Every size up to half the words is tried, the heaviest words first.
        assert_eq!(order.last().map(Vec::len), Some(16));
        assert_eq!(order.last().unwrap()[..2], [31, 30]);
        // Twelve words: every size up to six, four sets each while there are few enough to
        // enumerate (sizes 1 to 3), then the heaviest set.
        let order = leave_out_order(&(1..=12).collect::<Vec<u64>>());
        assert_eq!(order.len(), 4 + 4 + 4 + 1 + 1 + 1);
        assert_eq!(order.last().map(Vec::len), Some(6));
        assert_eq!(combinations(5, 2).len(), 10);
        assert_eq!(combinations(4, 4), [vec![0, 1, 2, 3]]);
        assert!(combinations_at_most(32, 2, 496));
        assert!(!combinations_at_most(32, 3, 496));
    }
}
