package dev.eff.interpreter.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * One executed statement in the JSON report. Train jobs fill the training fields and {@code losses} (one per
 * step; past a million steps, evenly spaced ones: {@code steps / losses.length} apart); evaluate jobs fill {@code metrics}. Configuration is rendered as .eff source, fully resolved.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobReport(String kind, String location, String model, long parameters, String data, String split,
                        String source, String optimizer, String loss, Integer batch, Long steps, Long seed,
                        double[] losses, Double finalLoss, Map<String, Double> metrics, long examples,
                        double compileSeconds, double seconds, Double examplesPerSecond) {}
