package dev.eff.dsl.check;

import java.util.List;
import java.util.Map;

/**
 * The checker's output: everything proven about a script. Later stages take this and never re-read the
 * source. {@code models} holds every model instance that a job uses (or each declared model with its
 * defaults when its input shape is declared), by instance key.
 */
public record CheckedProgram(Map<String, Value> constants, Map<String, DataBinding> data,
                             Map<String, ModelGraph> models, List<Job> jobs) {
    public CheckedProgram {
        constants = Map.copyOf(constants);
        data = Map.copyOf(data);
        models = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(models));
        jobs = List.copyOf(jobs);
    }
}
