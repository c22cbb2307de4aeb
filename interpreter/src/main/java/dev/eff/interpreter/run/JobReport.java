package dev.eff.interpreter.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * One executed statement in the JSON report. Train jobs fill the training fields and {@code losses} (one per
 * step; past a million steps, evenly spaced ones: {@code steps / losses.length} apart); evaluate jobs fill {@code metrics}. Configuration is rendered as .eff source, fully resolved. A model with
 * side outputs adds {@code auxiliaries} (train: each auxiliary loss per step, summed over its layers, unweighted)
 * and {@code probes} (per layer: mean over the run and, for training, samples every few steps); {@code plots} names
 * the images drawn from them next to the report. {@code details} holds what a program reports beyond its metrics (a
 * cascade's accuracy/cost curve), serialised as it is.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobReport(String kind, String location, String model, long parameters, String data, String split,
                        String source, String optimizer, String loss, Integer batch, Long steps, Long seed,
                        double[] losses, Double finalLoss, Map<String, Double> metrics, long examples,
                        double compileSeconds, double seconds, Double examplesPerSecond,
                        Map<String, double[]> auxiliaries, java.util.List<dev.eff.interpreter.train.ProbeSeries> probes,
                        java.util.List<String> plots, Object details) {

    public JobReport(String kind, String location, String model, long parameters, String data, String split,
                     String source, String optimizer, String loss, Integer batch, Long steps, Long seed,
                     double[] losses, Double finalLoss, Map<String, Double> metrics, long examples,
                     double compileSeconds, double seconds, Double examplesPerSecond,
                     Map<String, double[]> auxiliaries, java.util.List<dev.eff.interpreter.train.ProbeSeries> probes,
                     java.util.List<String> plots) {
        this(kind, location, model, parameters, data, split, source, optimizer, loss, batch, steps, seed, losses, finalLoss,
                metrics, examples, compileSeconds, seconds, examplesPerSecond, auxiliaries, probes, plots, null);
    }

    /** This report naming the image files drawn from it (e.g. the expert load over training). */
    public JobReport withPlots(java.util.List<String> files) {
        return new JobReport(kind, location, model, parameters, data, split, source, optimizer, loss, batch, steps, seed,
                losses, finalLoss, metrics, examples, compileSeconds, seconds, examplesPerSecond, auxiliaries, probes,
                files.isEmpty() ? null : java.util.List.copyOf(files), details);
    }

    /** This report with a program's {@code details}. */
    public JobReport withDetails(Object details) {
        return new JobReport(kind, location, model, parameters, data, split, source, optimizer, loss, batch, steps, seed,
                losses, finalLoss, metrics, examples, compileSeconds, seconds, examplesPerSecond, auxiliaries, probes, plots, details);
    }
}
