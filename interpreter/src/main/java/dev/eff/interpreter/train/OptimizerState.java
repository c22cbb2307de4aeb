package dev.eff.interpreter.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * A model instance's optimizer, kept between its train statements and in its checkpoints: which optimizer it is
 * (the rendered call, e.g. {@code adam(lr = 0.001, ...)}), how many steps it has taken, and each variable's updater
 * state (Adam's moments, momentum) as one flat array per variable.
 *
 * <p>A later statement with the same optimizer continues it: moments carry on, and the step count goes on indexing
 * warmup, the learning-rate schedule and Adam's bias correction, so nothing warms up twice. A statement with another
 * optimizer starts it afresh (its state has another layout and its schedule another meaning).
 */
public final class OptimizerState {
    private String key;
    private long step;
    private final Map<String, INDArray> views = new LinkedHashMap<>();

    /** Continues for optimizer {@code optimizerKey}, or forgets everything when the model trained with another. */
    public void use(String optimizerKey) {
        if (optimizerKey.equals(key)) return;
        key = optimizerKey;
        step = 0;
        views.clear();
    }

    public String key() { return key; }

    /** Optimizer steps taken so far on this model (with the current optimizer). */
    public long step() { return step; }

    void advance() { step++; }

    /** Each variable's updater state, by variable name. */
    public Map<String, INDArray> views() { return Collections.unmodifiableMap(views); }

    /** Replaces the whole state, as read from a checkpoint. */
    public void restore(String optimizerKey, long steps, Map<String, INDArray> state) {
        key = optimizerKey;
        step = steps;
        views.clear();
        views.putAll(state);
    }

    /** An updater per parameter over this state's arrays: existing state is continued, missing state starts at zero. */
    Map<String, GradientUpdater<?>> updaters(IUpdater config, Map<String, INDArray> params) {
        Map<String, GradientUpdater<?>> out = new LinkedHashMap<>();
        params.forEach((name, arr) -> {
            long size = config.stateSize(arr.length());
            INDArray view = views.get(name);
            boolean fresh = view == null || view.length() != size;
            if (fresh) {
                view = size == 0 ? null : Nd4j.zeros(arr.dataType(), 1, size);
                if (view != null) views.put(name, view);
            }
            GradientUpdater<?> u = config.instantiate(view, false);
            u.setStateViewArray(view, arr.shape(), arr.ordering(), fresh);
            out.put(name, u);
        });
        return out;
    }
}
