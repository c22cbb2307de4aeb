package dev.eff.interpreter.compile;

import java.util.Map;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * SameDiff's inference session, except that it forgets at the start of each run which arrays it released.
 * That set only guards against releasing one array twice within a run (an array recycled by the session's
 * cache gets a new id), but SameDiff never clears it, so over a long training run it would grow by every
 * intermediate of every step. A SameDiff graph makes its session when it first needs one, the gradient
 * function as soon as it is built, hence {@link #install()} runs before any graph is compiled.
 */
final class RecyclingSession extends InferenceSession {

    private RecyclingSession(SameDiff sd) {
        super(sd);
    }

    /** Makes SameDiff create sessions of this kind; idempotent. */
    static void install() {
        SameDiff.bindInferenceFactory(RecyclingSession::new);
    }

    @Override
    protected Map<String, INDArray> preprocessPlaceholders(Map<String, INDArray> placeholders, At at) {
        freedArrays.clear();
        return super.preprocessPlaceholders(placeholders, at);
    }
}
