package dev.eff.dsl.diag;

import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * "Did you mean" suggestions by Levenshtein distance, as in Starlark's SpellChecker: a candidate is
 * offered only when it is within about a quarter of the word's length, so unrelated names are never suggested.
 */
public final class Spelling {
    private Spelling() {}

    /** Longer words are not spelling mistakes of a name (and comparing them would cost length² time). */
    static final int MAX_WORD = 64;

    /** The closest candidate, or null when none is close enough. Ties go to the first in iteration order. */
    public static String suggest(String word, Collection<String> candidates) {
        if (word.length() > MAX_WORD) return null;
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        int limit = Math.max(1, (word.length() + 1) / 4);
        for (String c : candidates) {
            if (c.equals(word) || Math.abs(c.length() - word.length()) > limit) continue;
            int d = distance(word.toLowerCase(java.util.Locale.ROOT), c.toLowerCase(java.util.Locale.ROOT));
            if (d <= limit && d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        return best;
    }

    /** {@code " (did you mean 'x'?)"} or the empty string. */
    public static String didYouMean(String word, Collection<String> candidates) {
        String s = suggest(word, candidates);
        return s == null ? "" : " (did you mean '" + s + "'?)";
    }

    /** {@code 'a', 'b', 'c'} in the given order, shortened after {@code max} entries. */
    public static String list(Collection<String> words, int max) {
        List<String> quoted = words.stream().limit(max).map(w -> "'" + w + "'").toList();
        String s = String.join(", ", quoted);
        return words.size() > max ? s + ", ... (" + words.size() + " in all; eff doc lists every one)" : s;
    }

    public static String list(Collection<String> words) { return list(words, 12); }

    /**
     * Edit distance with unit costs for insertion, deletion, substitution and adjacent transposition.
     * Keeps three rows, so memory is linear in {@code b}'s length whatever the inputs.
     */
    public static int distance(String a, String b) {
        int n = a.length(), m = b.length();
        int[] older = new int[m + 1], prev = new int[m + 1], cur = new int[m + 1];
        for (int j = 0; j <= m; j++) prev[j] = j;
        for (int i = 1; i <= n; i++) {
            cur[0] = i;
            for (int j = 1; j <= m; j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int v = Math.min(Math.min(prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, older[j - 2] + 1);
                }
                cur[j] = v;
            }
            int[] t = older;
            older = prev;
            prev = cur;
            cur = t;
        }
        return prev[m];
    }

    public static String joinOr(List<String> items) {
        if (items.size() <= 1) return String.join("", items);
        return items.subList(0, items.size() - 1).stream().collect(Collectors.joining(", ")) + " or "
                + items.get(items.size() - 1);
    }
}
