package dev.eff.interpreter.bench;

import dev.eff.dsl.check.TrainJob;
import dev.eff.interpreter.bundle.Npy;
import dev.eff.interpreter.compile.CompiledModel;
import dev.eff.interpreter.compile.ModelCompiler;
import dev.eff.interpreter.train.BatchOrder;
import dev.eff.interpreter.train.TrainListener;
import dev.eff.interpreter.train.Trainer;
import dev.eff.stdlib.DataSource;
import dev.eff.stdlib.Dataset;
import dev.eff.stdlib.Parameters;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Java side of the peer harness ({@code bench/peers/peers.py}): a long-lived process that answers one line per
 * command on stdout, so that the driver can alternate Eff, hand-written SameDiff and PyTorch within one run.
 * Everything else ND4J or SameDiff prints goes to stderr.
 * <pre>
 *   peak                          → gflops c1024=… f1024=… c2048=… f2048=… native=BUILD   (float GEMM, c- and
 *                                    f-order operands; the libnd4j build Eff chose)
 *   load MODEL                    → model name=… kind=train|infer batch=… seq=… … stepFlops=… hand=true|false
 *   run MODEL eff|hand STEPS WARM → ms t1 … tSTEPS   (ms per train step, or per batch-1 forward, after WARM untimed)
 *   verify MODEL FILE.npz STEPS   → losses l1 … lSTEPS, or logits N (inference); FILE holds the initial variables
 *                                    (p/NAME), the batches (tokens0, labels0, …) and, for inference, the logits
 *   unload MODEL                  → ok
 *   quit
 * </pre>
 * A command that fails answers {@code error MESSAGE} on one line and the process goes on. Models are those of
 * {@link PeerModel}; scripts are read relative to the repository root, the working directory.
 * Run: {@code interpreter/bench.sh PeerServer}.
 */
public final class PeerServer {

    public static void main(String[] args) throws Exception {
        dev.eff.accelerators.Backend.configure();
        PrintStream replies = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        Session session = new Session(Path.of("").toAbsolutePath());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.isBlank()) continue;
            if (line.strip().equals("quit")) break;
            replies.println(session.handle(line));
        }
    }

    /** The server's state, one loaded model per name; {@link #handle} answers one command. */
    static final class Session {
        private final Path root;
        private final Map<String, Loaded> loaded = new HashMap<>();

        Session(Path root) { this.root = root; }

        private record Loaded(PeerModel spec, TrainJob job, Dataset data, PeerModel.Description description,
                              CompiledModel eff, SameDiff hand) {}

        String handle(String line) {
            String[] w = line.strip().split("\\s+");
            try {
                return switch (w[0]) {
                    case "peak" -> peak();
                    case "load" -> {
                        Loaded l = load(arg(w, 1));
                        yield "model " + l.description().line() + " hand=" + (l.hand() != null);
                    }
                    case "run" -> run(model(arg(w, 1)), arg(w, 2), count(w, 3), count(w, 4));
                    case "verify" -> verify(model(arg(w, 1)), Path.of(arg(w, 2)), Math.max(1, count(w, 3)));
                    case "unload" -> {
                        loaded.remove(arg(w, 1));
                        System.gc();
                        yield "ok";
                    }
                    default -> throw new IllegalArgumentException("unknown command '" + w[0]
                            + "'; the commands are peak, load, run, verify, unload, quit");
                };
            } catch (Exception | OutOfMemoryError e) {
                String m = e.getMessage() == null ? e.toString() : e.getMessage();
                return "error " + m.replaceAll("\\s*\\R\\s*", " | ");
            }
        }

        private Loaded load(String name) throws Exception {
            Loaded l = loaded.get(name);
            if (l != null) return l;
            PeerModel spec = PeerModel.named(name);
            TrainJob job = spec.job(root);
            PeerModel.Description description = spec.describe(job);
            Dataset data = ((DataSource) job.data().spec()).load(job.data().args(), job.split(), root.resolve(spec.script()).getParent());
            CompiledModel eff = spec.inference() ? inference(job) : CharTransformerBench.compile(job);
            SameDiff hand = description.experts() == 0 && description.hidden() == 4 * description.d()
                    && description.vocab() == description.classes() && description.causal()
                    ? CharTransformerBench.hand(job, (int) description.vocab(), (int) description.seq(), (int) description.d(),
                            (int) description.heads(), (int) description.layers())
                    : null;
            l = new Loaded(spec, job, data, description, eff, hand);
            loaded.put(name, l);
            return l;
        }

        private Loaded model(String name) throws Exception {
            Loaded l = loaded.get(name);
            if (l == null) throw new IllegalArgumentException("model '" + name + "' is not loaded (load " + name + ")");
            return l;
        }

        private static CompiledModel inference(TrainJob job) {
            return ModelCompiler.standard().inference(job.model(), job.data().schema(),
                    new Parameters(ModelCompiler.namespace(job.model())), job.seed(), DataType.FLOAT);
        }

        private String run(Loaded l, String program, int steps, int warm) throws Exception {
            if (steps < 1) throw new IllegalArgumentException("run needs at least 1 step");
            double[] ms = switch (program) {
                case "eff" -> l.spec().inference() ? predictCalls(l.eff(), oneExample(l), warm + steps)
                        : CharTransformerBench.effSteps(l.eff(), l.job(), l.data(), warm + steps);
                case "hand" -> {
                    if (l.hand() == null) throw new IllegalArgumentException(l.spec().name() + " has no hand-written SameDiff model");
                    yield l.spec().inference()
                            ? forwardCalls(l.hand(), Map.of(HandWrittenCharLm.TOKENS, oneExample(l).inputs().get(0)),
                                    HandWrittenCharLm.LOGITS, warm + steps)
                            : CharTransformerBench.fitPerBatchSteps(l.hand(), l.job(), l.data(), warm + steps);
                }
                default -> throw new IllegalArgumentException("unknown program '" + program + "'; the programs are eff, hand");
            };
            return "ms " + numbers(Arrays.copyOfRange(ms, warm, ms.length));
        }

        private static Dataset oneExample(Loaded l) { return l.data().slice(0, 1); }

        /** Milliseconds of each of {@code calls} predictions of Eff's model, as Eff predicts (its planned executor). */
        private static double[] predictCalls(CompiledModel model, Dataset example, int calls) {
            double[] ms = new double[calls];
            for (int i = 0; i < calls; i++) {
                long start = System.nanoTime();
                model.predict(example.inputs());
                ms[i] = (System.nanoTime() - start) / 1e6;
            }
            return ms;
        }

        /** Milliseconds of each of {@code calls} forward passes of {@code output} by SameDiff's session. */
        private static double[] forwardCalls(SameDiff sd, Map<String, INDArray> feed, String output, int calls) {
            double[] ms = new double[calls];
            for (int i = 0; i < calls; i++) {
                long start = System.nanoTime();
                sd.output(feed, output);
                ms[i] = (System.nanoTime() - start) / 1e6;
            }
            return ms;
        }

        /**
         * A fresh instance of the model (the seed's initial variables) written to {@code file} with the batches it is
         * fed; then {@code steps} steps of Eff's Trainer on those batches, answering their losses, or for an inference
         * model its logits on one example (written to the file as {@code logits}).
         */
        private String verify(Loaded l, Path file, int steps) throws Exception {
            TrainJob job = l.job();
            CompiledModel model = l.spec().inference() ? inference(job) : CharTransformerBench.compile(job);
            Map<String, INDArray> out = new LinkedHashMap<>();
            String prefix = ModelCompiler.namespace(job.model()) + "/";
            model.parameters().forEach((name, array) -> out.put("p/" + name.substring(name.startsWith(prefix) ? prefix.length() : 0),
                    array.dup()));
            String reply;
            if (l.spec().inference()) {
                Dataset one = oneExample(l);
                out.put("tokens0", one.inputs().get(0));
                INDArray logits = model.sd().output(model.feed(one.inputs(), null, false), model.output()).get(model.output());
                out.put("logits", logits.castTo(DataType.FLOAT));
                reply = "logits " + logits.length();
            } else {
                BatchOrder order = new BatchOrder(l.data().size(), job.batch(), job.seed());
                for (int s = 0; s < steps; s++) {
                    Dataset b = l.data().select(order.next());
                    out.put("tokens" + s, b.inputs().get(0));
                    out.put("labels" + s, b.labels());
                }
                List<Double> losses = new ArrayList<>();
                new Trainer().train(model, l.data(), CharTransformerBench.plan(job, steps), new TrainListener() {
                    @Override public void step(long step, long total, double loss, long seen, double seconds) { losses.add(loss); }
                });
                reply = "losses " + losses.stream().map(x -> String.format(Locale.ROOT, "%.9g", x))
                        .collect(Collectors.joining(" "));
            }
            try (OutputStream o = Files.newOutputStream(file)) {
                Npy.writeNpz(out, o);
            }
            return reply;
        }

        /**
         * Float GEMM rates in GFLOP/s, the best of several products of two n × n matrices with c- and f-order operands,
         * and the libnd4j build that ran them.
         */
        private static String peak() {
            StringBuilder sb = new StringBuilder("gflops");
            for (int n : new int[] {1024, 2048}) {
                for (char order : new char[] {'c', 'f'}) {
                    INDArray a = Nd4j.rand(DataType.FLOAT, n, n).dup(order), b = Nd4j.rand(DataType.FLOAT, n, n).dup(order);
                    INDArray c = Nd4j.create(DataType.FLOAT, new long[] {n, n}, order);
                    long best = Long.MAX_VALUE;
                    for (int i = 0; i < (n == 1024 ? 10 : 5); i++) {
                        long start = System.nanoTime();
                        a.mmul(b, c);
                        best = Math.min(best, System.nanoTime() - start);
                    }
                    sb.append(String.format(Locale.ROOT, " %c%d=%.1f", order, n, 2.0 * n * n * n / best));
                }
            }
            return sb.append(" native=").append(dev.eff.accelerators.Backend.configure().build().word()).toString();
        }

        private static String numbers(double[] xs) {
            return Arrays.stream(xs).mapToObj(x -> String.format(Locale.ROOT, "%.3f", x)).collect(Collectors.joining(" "));
        }

        private static String arg(String[] w, int i) {
            if (i >= w.length) throw new IllegalArgumentException("'" + w[0] + "' needs " + i + " argument" + (i == 1 ? "" : "s"));
            return w[i];
        }

        private static int count(String[] w, int i) {
            try {
                return Integer.parseInt(arg(w, i));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + w[i] + "' is not a number of steps");
            }
        }
    }
}
