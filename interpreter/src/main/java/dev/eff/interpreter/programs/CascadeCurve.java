package dev.eff.interpreter.programs;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A cascade's accuracy against its cost over thresholds: at threshold t the examples the rule defers take the large
 * model's answer, the others the small model's. Cost per example is {@code small + rule + r · large} FLOPs at deferral
 * rate r; time is estimated likewise from the measured per-pass seconds.
 */
public record CascadeCurve(List<Point> points) {

    public CascadeCurve {
        points = List.copyOf(points);
    }

    /** One threshold: the fraction deferred, the cascade's accuracy, FLOPs per example and estimated seconds for the split. */
    public record Point(double threshold, double deferred, double accuracy, double flops, double flopsVsLarge, double seconds) {}

    /** FLOPs per example of the small model, the rule and the large model. */
    public record Costs(long small, long rule, long large) {
        double at(double deferred) { return small + rule + deferred * large; }
    }

    /** Seconds for one pass over the split: the small model, the rule, the large model. */
    public record Times(double small, double rule, double large) {
        double at(double deferred) { return small + rule + deferred * large; }
    }

    /** Candidate thresholds: the scores' quantiles at every percent, and one beyond each extreme (defer all, defer none). */
    static double[] candidates(double[] scores) {
        double[] sorted = scores.clone();
        java.util.Arrays.sort(sorted);
        TreeSet<Double> t = new TreeSet<>();
        t.add(Math.nextDown(sorted[0]));
        t.add(Math.nextUp(sorted[sorted.length - 1]));
        for (int q = 0; q <= 100; q++) t.add(sorted[(int) Math.min(sorted.length - 1, Math.round(q / 100.0 * (sorted.length - 1)))]);
        return t.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The curve of {@code rule} over its candidate thresholds, given whether each model is right on each example. */
    static CascadeCurve sweep(DeferralRule.Fitted rule, double[] scores, boolean[] smallRight, boolean[] largeRight, Costs costs, Times times) {
        List<Point> out = new ArrayList<>();
        for (double t : candidates(scores)) out.add(at(rule, t, scores, smallRight, largeRight, costs, times));
        return new CascadeCurve(out);
    }

    static Point at(DeferralRule.Fitted rule, double t, double[] scores, boolean[] smallRight, boolean[] largeRight, Costs costs, Times times) {
        int deferred = 0, right = 0;
        for (int n = 0; n < scores.length; n++) {
            boolean d = rule.defers(scores[n], t);
            if (d) deferred++;
            if (d ? largeRight[n] : smallRight[n]) right++;
        }
        double r = deferred / (double) scores.length;
        return new Point(t, r, right / (double) scores.length, costs.at(r), costs.at(r) / costs.large(), times.at(r));
    }

    /**
     * The cheapest point (fewest FLOPs) whose accuracy is at least {@code accuracy}; deferring everything reaches the
     * large model's accuracy, so for any target up to it there is one.
     */
    public Point cheapestReaching(double accuracy) {
        Point best = null;
        for (Point p : points) {
            if (p.accuracy() >= accuracy - 1e-12 && (best == null || p.flops() < best.flops())) best = p;
        }
        return best;
    }
}
