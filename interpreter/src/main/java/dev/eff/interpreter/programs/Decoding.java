package dev.eff.interpreter.programs;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * The autoregressive loop: feeds the prompt, then repeatedly picks a token from the logits and feeds it back. The
 * context is a window over the text: when it fills the model's positions, it restarts from the last half of them
 * (re-read at positions 0, 1, ...), because a model built for T positions has no position beyond T - 1. Cached and
 * uncached models see the same windows, so their outputs agree token for token.
 */
public final class Decoding {
    private Decoding() {}

    /** Called with every logits vector the loop samples from (for tests and measurements). */
    public interface LogitsListener {
        void logits(int step, double[] logits);

        LogitsListener NONE = (step, logits) -> {};
    }

    /**
     * Generates {@code tokens} tokens after {@code prompt} (at least one token), giving each to {@code emit} as it
     * is chosen; returns them.
     */
    public static int[] generate(TokenModel model, int[] prompt, int tokens, Sampler sampler, IntConsumer emit,
                                 LogitsListener listener) {
        return generate(model, prompt, tokens, sampler, emit, listener, () -> false);
    }

    /** As above, ending early (with the tokens so far) once {@code stop} says so. */
    public static int[] generate(TokenModel model, int[] prompt, int tokens, Sampler sampler, IntConsumer emit,
                                 LogitsListener listener, java.util.function.BooleanSupplier stop) {
        if (prompt.length == 0) throw new IllegalArgumentException("the prompt must hold at least one token");
        List<Integer> text = new ArrayList<>();
        int[] window = {0};
        model.reset();
        double[] logits = null;
        for (int i = 0; i < prompt.length; i++) logits = feed(model, text, window, prompt[i], i == prompt.length - 1);
        int[] out = new int[tokens];
        for (int i = 0; i < tokens; i++) {
            if (stop.getAsBoolean()) return java.util.Arrays.copyOf(out, i);
            listener.logits(i, logits);
            out[i] = sampler.next(logits);
            emit.accept(out[i]);
            if (i < tokens - 1) logits = feed(model, text, window, out[i], true);
        }
        return out;
    }

    private static double[] feed(TokenModel model, List<Integer> text, int[] window, int token, boolean wanted) {
        if (text.size() - window[0] == model.positions()) {
            int keep = model.positions() / 2;
            window[0] = text.size() - keep;
            model.reset();
            for (int i = window[0]; i < text.size(); i++) model.append(text.get(i), false);
        }
        text.add(token);
        return model.append(token, wanted);
    }
}
