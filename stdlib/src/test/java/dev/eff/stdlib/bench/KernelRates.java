package dev.eff.stdlib.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.nd4j.linalg.api.blas.params.MMulTranspose;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Exp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The machine's reference rates for reading a profile, measured on direct INDArray calls (FLOAT; median ms per call
 * over {@code -Dreps=N} calls, default 15, after 3 untimed, rounds of all kernels alternating, the median over rounds):
 * GEMM on 1024² and 2048² squares (c-order and f-order operands: the peak a profile's matmuls are held against),
 * the forward and backward products of a dense layer at the char transformer's FFN shapes (the backward as SameDiff's
 * {@code matmul_bp} and three other ways to compute it),
 * the batched attention products on rank 3 and rank 4, a large copy (the memory bandwidth an elementwise kernel is
 * held against: bytes read + written per second) and the elementwise kernels of GELU.
 * Not a test; run with {@code stdlib/bench.sh KernelRates [rounds]}.
 */
public final class KernelRates {

    private static final int REPS = Integer.getInteger("reps", 15);

    /** A kernel: what it does per call, and its work (FLOPs, or bytes moved for memory-bound ones). */
    private record Kernel(Runnable call, double work, String unit) {}

    public static void main(String[] args) {
        dev.eff.accelerators.Backend.configure();
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Map<String, Kernel> kernels = new LinkedHashMap<>();
        for (int n : new int[] {1024, 2048}) {
            INDArray a = Nd4j.rand(DataType.FLOAT, n, n), b = Nd4j.rand(DataType.FLOAT, n, n);
            INDArray af = a.dup('f'), bf = b.dup('f');
            // Results into arrays made once: a fresh result per call would time the allocation (page faults) too.
            INDArray c = a.ulike(), cf = Nd4j.create(DataType.FLOAT, new long[] {n, n}, 'f');
            kernels.put("gemm " + n + "² c-order", new Kernel(() -> a.mmul(b, c), 2.0 * n * n * n, "GFLOP/s"));
            kernels.put("gemm " + n + "² f-order", new Kernel(() -> af.mmul(bf, cf), 2.0 * n * n * n, "GFLOP/s"));
        }
        // The backward of y = x·W at the char transformer's FFN shapes, as SameDiff's matmul_bp and as what could
        // replace it: two products with transpose flags, BLAS gemm with transposes, transposed copies first.
        for (int[] mkn : new int[][] {{2048, 1024, 256}, {2048, 256, 1024}}) {
            int m = mkn[0], k = mkn[1], n = mkn[2];
            INDArray x = Nd4j.rand(DataType.FLOAT, m, k), wt = Nd4j.rand(DataType.FLOAT, k, n), dy = Nd4j.rand(DataType.FLOAT, m, n);
            INDArray dx = x.ulike(), dw = wt.ulike();
            double flops = 4.0 * m * k * n;
            String at = " [" + m + "," + k + "]·[" + k + "," + n + "]";
            kernels.put("forward" + at, new Kernel(() -> Nd4j.exec(op("matmul", new INDArray[] {x, wt}, new INDArray[] {dy})), flops / 2, "GFLOP/s"));
            kernels.put("matmul_bp" + at, new Kernel(() -> Nd4j.exec(op("matmul_bp", new INDArray[] {x, wt, dy}, new INDArray[] {dx, dw})), flops, "GFLOP/s"));
            kernels.put("  bp as 2 matmuls with transposes" + at, new Kernel(() -> {
                Nd4j.exec(op("matmul", new INDArray[] {dy, wt}, new INDArray[] {dx}, 0, 1, 0));
                Nd4j.exec(op("matmul", new INDArray[] {x, dy}, new INDArray[] {dw}, 1, 0, 0));
            }, flops, "GFLOP/s"));
            kernels.put("  bp as 2 BLAS gemm with transposes" + at, new Kernel(() -> {
                Nd4j.gemm(dy, wt, dx, false, true, 1.0, 0.0);
                Nd4j.gemm(x, dy, dw, true, false, 1.0, 0.0);
            }, flops, "GFLOP/s"));
            kernels.put("  bp as transposed copies, then 2 matmuls" + at, new Kernel(() -> {
                Nd4j.exec(op("matmul", new INDArray[] {dy, wt.transpose().dup('c')}, new INDArray[] {dx}));
                Nd4j.exec(op("matmul", new INDArray[] {x.transpose().dup('c'), dy}, new INDArray[] {dw}));
            }, flops, "GFLOP/s"));
        }
        for (int t : new int[] {128, 512}) {
            INDArray q4 = Nd4j.rand(DataType.FLOAT, 16, 4, t, 64), k4 = Nd4j.rand(DataType.FLOAT, 16, 4, t, 64);
            INDArray q3 = q4.reshape(64, t, 64), k3 = k4.reshape(64, t, 64);
            double flops = 2.0 * 64 * t * t * 64;
            MMulTranspose bt = MMulTranspose.builder().transposeB(true).build();
            kernels.put("batched q·kᵀ rank 4 [16,4," + t + ",64]", new Kernel(() -> Nd4j.exec(new Mmul(q4, k4, null, bt)), flops, "GFLOP/s"));
            kernels.put("batched q·kᵀ rank 3 [64," + t + ",64]", new Kernel(() -> Nd4j.exec(new Mmul(q3, k3, null, bt)), flops, "GFLOP/s"));
        }
        INDArray big = Nd4j.rand(DataType.FLOAT, 2048, 8192), target = big.ulike();
        kernels.put("copy 64 MiB (read + write)", new Kernel(() -> target.assign(big), 2.0 * 4 * big.length(), "GB/s"));
        INDArray h = Nd4j.rand(DataType.FLOAT, 2048, 1024), out = h.ulike();
        double elementwise = 2.0 * 4 * h.length();
        kernels.put("mul [2048,1024] (x·y)", new Kernel(() -> h.mul(h, out), 3.0 * 4 * h.length(), "GB/s"));
        kernels.put("erf [2048,1024]", new Kernel(() -> Nd4j.exec(new Erf(h, out)), elementwise, "GB/s"));
        kernels.put("exp [2048,1024]", new Kernel(() -> Nd4j.exec(new Exp(h, out)), elementwise, "GB/s"));
        kernels.put("tanh [2048,1024]", new Kernel(() -> Nd4j.exec(new Tanh(h, out)), elementwise, "GB/s"));
        kernels.put("sigmoid [2048,1024]", new Kernel(() -> Nd4j.exec(new Sigmoid(h, out)), elementwise, "GB/s"));
        INDArray columns = Nd4j.create(DataType.FLOAT, 1024), rowSums = Nd4j.create(DataType.FLOAT, 2048);
        kernels.put("column sum [2048,1024] → [1024]", new Kernel(() -> h.sum(columns, 0), 4.0 * h.length(), "GB/s"));
        kernels.put("row sum [2048,1024] → [2048]", new Kernel(() -> h.sum(rowSums, 1), 4.0 * h.length(), "GB/s"));

        Map<String, double[]> medians = new LinkedHashMap<>();
        for (int r = 0; r < rounds; r++) {
            for (var e : kernels.entrySet()) {
                medians.computeIfAbsent(e.getKey(), k -> new double[rounds])[r] = medianMs(e.getValue().call());
            }
        }
        for (var e : kernels.entrySet()) {
            double ms = median(medians.get(e.getKey()));
            Kernel k = e.getValue();
            System.out.printf(Locale.ROOT, "%-40s %8.3f ms  %7.1f %s%n", e.getKey(), ms, k.work() / ms / 1e6, k.unit());
        }
    }

    private static DynamicCustomOp op(String name, INDArray[] in, INDArray[] out, int... iArgs) {
        return DynamicCustomOp.builder(name).addInputs(in).addOutputs(out).addIntegerArguments(iArgs).build();
    }

    private static double medianMs(Runnable call) {
        for (int i = 0; i < 3; i++) call.run();
        double[] ms = new double[REPS];
        for (int i = 0; i < REPS; i++) {
            long start = System.nanoTime();
            call.run();
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        return median(ms);
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
