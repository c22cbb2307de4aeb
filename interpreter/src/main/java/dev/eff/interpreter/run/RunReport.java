package dev.eff.interpreter.run;

import java.util.List;
import java.util.Map;

/** What {@code eff run} did, as written by {@code --report}: the resolved configuration, per-job results and timings. */
public record RunReport(String eff, String script, Map<String, String> overrides, Map<String, String> constants,
                        List<JobReport> jobs, double seconds) {

    public RunReport {
        overrides = Map.copyOf(overrides);
        jobs = List.copyOf(jobs);
    }
}
