package dev.eff.interpreter.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What one layer's probe measured over a run: its {@code mean} over every step (or every evaluated batch), element
 * by element (a scalar probe has one element), and, for training, {@code samples} taken every few steps so a report
 * can plot how it moved (null for evaluation).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProbeSeries(String layer, String name, double[] mean, List<Sample> samples) {

    /** The probe's value after step {@code step} (1-based). */
    public record Sample(long step, double[] value) {}
}
