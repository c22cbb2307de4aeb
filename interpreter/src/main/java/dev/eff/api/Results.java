package dev.eff.api;

import java.util.List;
import java.util.Map;

/**
 * What a run did: each statement's result in script order, and every model instance the script used, with the
 * weights the run left it, by instance key ({@code lm(layers = 4)}; a model used with its defaults is keyed by its name).
 */
public record Results(List<JobResult> jobs, Map<String, Model> models) {

    public Results {
        jobs = List.copyOf(jobs);
        models = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(models));
    }

    /**
     * The model instance with this key, or the one instance of the model with this name.
     *
     * @throws IllegalArgumentException when the script used no such model, or several instances of it
     */
    public Model model(String name) {
        Model m = models.get(name);
        if (m != null) return m;
        List<Model> named = models.values().stream().filter(x -> x.name().equals(name)).toList();
        if (named.size() == 1) return named.get(0);
        throw new IllegalArgumentException(named.isEmpty() ? "the script used no model '" + name + "'; it used " + models.keySet()
                : "the script used several instances of '" + name + "': " + named.stream().map(Model::instance).toList() + "; name one");
    }

    /** The value of metric {@code name} in the last statement that measured it, or null. */
    public Double metric(String name) {
        for (int i = jobs.size() - 1; i >= 0; i--) {
            Map<String, Double> m = jobs.get(i).metrics();
            if (m != null && m.containsKey(name)) return m.get(name);
        }
        return null;
    }
}
