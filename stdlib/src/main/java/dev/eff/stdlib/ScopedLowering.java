package dev.eff.stdlib;

import dev.eff.dsl.check.Shape;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The {@link Lowering} the runtime hands to each node of a model. Parameters are named {@code scope/name}
 * and drawn from a generator seeded by (model seed, full name), so a model's initial weights depend only on
 * its seed and structure, never on the order in which components create them. Lowering a component twice
 * with the same scope (a model used by two statements) reuses its parameters.
 */
public final class ScopedLowering implements Lowering {

    private final SameDiff sd;
    private final String scope;
    private final Shape inputShape;
    private final Shape outputShape;
    private final long seed;
    private final DataType dtype;
    private final SDVariable training;
    private final Set<String> issuedNames = new HashSet<>();
    private final boolean inference;
    private final Map<String, SDVariable> auxiliaries = new LinkedHashMap<>();
    private final Map<String, SDVariable> probes = new LinkedHashMap<>();

    public ScopedLowering(SameDiff sd, String scope, Shape inputShape, Shape outputShape, long seed, DataType dtype,
                          SDVariable training) {
        this(sd, scope, inputShape, outputShape, seed, dtype, training, false);
    }

    public ScopedLowering(SameDiff sd, String scope, Shape inputShape, Shape outputShape, long seed, DataType dtype,
                          SDVariable training, boolean inference) {
        if (!dtype.isFPType()) throw new IllegalArgumentException("lowering dtype must be floating point, got " + dtype);
        this.sd = sd;
        this.scope = scope;
        this.inputShape = inputShape;
        this.outputShape = outputShape;
        this.seed = seed;
        this.dtype = dtype;
        this.training = training;
        this.inference = inference;
    }

    @Override public SameDiff sd() { return sd; }

    @Override public String scope() { return scope; }

    @Override public Shape inputShape() { return inputShape; }

    @Override public Shape outputShape() { return outputShape; }

    @Override public DataType dtype() { return dtype; }

    @Override public SDVariable training() { return training; }

    @Override public boolean inference() { return inference; }

    @Override public long randomSeed(String name) { return streamSeed(seed, scope + "/" + name + "#random"); }

    @Override public void aux(String name, SDVariable scalar) { auxiliaries.put(name, scalar); }

    @Override public void probe(String name, SDVariable value) { probes.put(name, value); }

    /** The auxiliary losses this component emitted, by name. */
    public Map<String, SDVariable> auxiliaries() { return Map.copyOf(auxiliaries); }

    /** The probes this component emitted, by name. */
    public Map<String, SDVariable> probes() { return Map.copyOf(probes); }

    @Override
    public SDVariable param(String name, long[] shape, Init init) {
        String full = scope + "/" + name;
        if (sd.hasVariable(full)) {
            SDVariable existing = sd.getVariable(full);
            long[] have = existing.getShape();
            if (!Arrays.equals(have, shape)) {
                throw new IllegalStateException("parameter " + full + " already exists with shape " + Arrays.toString(have)
                        + ", requested " + Arrays.toString(shape));
            }
            return existing;
        }
        return sd.var(full, initialValue(seed, full, shape, init, dtype));
    }

    @Override
    public String name(String hint) {
        String base = scope + "/" + hint;
        String candidate = base;
        for (int i = 2; sd.hasVariable(candidate) || issuedNames.contains(candidate); i++) candidate = base + "_" + i;
        issuedNames.add(candidate);
        return candidate;
    }

    /** The initial value of parameter {@code fullName}: a pure function of the seed, the name, the shape and the init. */
    public static INDArray initialValue(long seed, String fullName, long[] shape, Init init, DataType dtype) {
        long n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        double[] values = new double[Math.toIntExact(n)];
        SplittableRandom rng = new SplittableRandom(streamSeed(seed, fullName));
        for (int i = 0; i < values.length; i++) values[i] = draw(init, rng);
        return Nd4j.createFromArray(values).castTo(dtype).reshape(shape);
    }

    private static double draw(Init init, SplittableRandom rng) {
        if (init instanceof Init.Zeros) return 0;
        if (init instanceof Init.Ones) return 1;
        if (init instanceof Init.Normal normal) return rng.nextGaussian() * normal.std();
        if (init instanceof Init.Uniform uniform) {
            return uniform.limit() == 0 ? 0 : rng.nextDouble(-uniform.limit(), uniform.limit());
        }
        throw new IllegalArgumentException("unknown init " + init);
    }

    /** Mixes the model seed with a 64-bit FNV-1a hash of the name so each parameter has its own stream. */
    private static long streamSeed(long seed, String name) {
        long h = 0xcbf29ce484222325L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return seed * 0x9E3779B97F4A7C15L ^ h;
    }
}
