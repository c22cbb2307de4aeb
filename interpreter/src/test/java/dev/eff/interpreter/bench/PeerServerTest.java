package dev.eff.interpreter.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.dsl.check.TrainJob;
import dev.eff.interpreter.bundle.Npy;
import dev.eff.interpreter.compile.CompiledModel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The peer harness's Java side: its line protocol (without PyTorch), and the FLOPs it measures every peer by. */
class PeerServerTest {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @BeforeAll
    static void backend() { dev.eff.accelerators.Backend.configure(); }

    @Test
    void answersEachCommandOnOneLine(@TempDir Path dir) throws Exception {
        PeerServer.Session s = new PeerServer.Session(ROOT);
        assertTrue(s.handle("run quickstart eff 1 0").startsWith("error model 'quickstart' is not loaded"));
        String model = s.handle("load quickstart");
        assertTrue(model.startsWith("model name=quickstart kind=train batch=32 seq=9 vocab=12 d=64 heads=4 layers=2 causal=true "
                + "hidden=256 experts=0"), model);
        assertTrue(model.contains(" opt.lr=0.003 opt.warmup=50 opt.schedule=cosine ") && model.endsWith(" hand=true"), model);
        assertEquals(2, times(s.handle("run quickstart eff 2 1")).length);
        assertEquals(3, times(s.handle("run quickstart hand 3 0")).length);
        for (String bad : List.of("run quickstart torch 1 0", "run quickstart eff x 0", "run quickstart eff 0 0", "load nosuch",
                "frobnicate", "run")) {
            String reply = s.handle(bad);
            assertTrue(reply.startsWith("error ") && !reply.contains("\n"), bad + " → " + reply);
        }
        String peak = s.handle("peak");
        assertTrue(peak.matches("gflops c1024=[0-9.]+ f1024=[0-9.]+ c2048=[0-9.]+ f2048=[0-9.]+ native=[a-z0-9-]+"), peak);
        assertTrue(Arrays.stream(peak.split(" ")).skip(1).limit(4).mapToDouble(f -> Double.parseDouble(f.split("=")[1])).allMatch(g -> g > 0.1));
        assertEquals("ok", s.handle("unload quickstart"));
        assertTrue(s.handle("run quickstart eff 1 0").startsWith("error "));
    }

    /** The exported batches are those the losses came from: the first loss is the fresh model's loss on batch 0. */
    @Test
    void verifyExportsTheInitialVariablesAndTheBatchesBehindItsLosses(@TempDir Path dir) throws Exception {
        PeerServer.Session s = new PeerServer.Session(ROOT);
        s.handle("load quickstart");
        Path file = dir.resolve("q.npz");
        String reply = s.handle("verify quickstart " + file + " 2");
        assertTrue(reply.startsWith("losses "), reply);
        double[] losses = Arrays.stream(reply.substring(7).split(" ")).mapToDouble(Double::parseDouble).toArray();
        assertEquals(2, losses.length);

        Map<String, INDArray> saved = Npy.readNpz(file);
        TrainJob job = PeerModel.named("quickstart").job(ROOT);
        CompiledModel fresh = CharTransformerBench.compile(job);
        String prefix = dev.eff.interpreter.compile.ModelCompiler.namespace(job.model()) + "/";
        fresh.parameters().forEach((name, array) -> assertEquals(array, saved.get("p/" + name.substring(prefix.length())), name));
        assertEquals(32, saved.get("tokens0").rows());
        double loss = fresh.sd().output(fresh.feed(List.of(saved.get("tokens0")), saved.get("labels0"), true), fresh.loss())
                .get(fresh.loss()).getDouble(0);
        assertEquals(loss, losses[0], 1e-6);
        assertTrue(losses[1] < losses[0], "one AdamW step on the batch lowers its loss: " + Arrays.toString(losses));
    }

    /**
     * Forward FLOPs per example counted by hand for a pre-norm transformer as Eff's cost model counts them: 2 per
     * multiply-add of each matrix product, one per bias, residual or mask add, 7 per layer-norm element, 5 per GELU
     * element, 3 per softmax score; the train step is 3 × forward × batch, inference forward only.
     */
    @Test
    void flopsAreTheTransformerCountTimesThreeForATrainStep() throws Exception {
        assertFlops("char4", dense(128, 256, 4, 4, 1024, 256, true), 16, true);
        assertFlops("block512", dense(512, 256, 4, 1, 1024, 256, true), 16, true);
        assertFlops("block128", dense(128, 256, 4, 1, 1024, 256, true), 16, true);
        assertFlops("infer4", dense(128, 256, 4, 4, 1024, 256, true), 1, false);
        assertFlops("quickstart", dense(9, 64, 4, 2, 256, 12, true), 32, true);
        assertFlops("moe", moe(64, 128, 4, 2, 16, 256, 2, 64), 32, true);
    }

    private static void assertFlops(String name, long forward, int batch, boolean train) throws Exception {
        PeerModel m = PeerModel.named(name);
        PeerModel.Description d = m.describe(m.job(ROOT));
        assertEquals(forward, d.forwardFlops(), name);
        assertEquals((train ? 3 : 1) * forward * batch, d.stepFlops(), name);
        assertEquals(train ? batch : 1, d.batch(), name);
    }

    /** Embedding, L blocks of attention and an MLP of width h, the final norm and the logits over c classes. */
    private static long dense(long t, long d, long heads, long layers, long h, long c, boolean causal) {
        long mlp = t * (2 * d * h + h) + 5 * t * h + t * (2 * h * d + d);
        return embed(t, d, c) + layers * (attention(t, d, heads, causal) + mlp + 2 * (7 * t * d + t * d)) + head(t, d, c);
    }

    /** As {@link #dense}, bidirectional, with a mixture of e experts of width h under expert choice at capacity factor k. */
    private static long moe(long t, long d, long heads, long layers, long e, long h, long k, long vocab) {
        long slots = (k * t + e - 1) / e;                                  // ⌈k·S/E⌉ tokens per expert
        long router = t * (2 * d * e + 3 * e);                             // logits and softmax
        long routing = 2 * (2 * e * slots * t * d) + 2 * e * slots * t + e * slots * d;  // dispatch, combine, gates
        long experts = e * slots * ((2 * d * h + h) + 5 * h + (2 * h * d + d));
        return embed(t, d, vocab) + layers * (attention(t, d, heads, false) + router + routing + experts + 2 * (7 * t * d + t * d))
                + head(t, d, vocab);
    }

    private static long embed(long t, long d, long vocab) { return 2 * t * vocab * d + t * d; }

    private static long attention(long t, long d, long heads, boolean causal) {
        long projections = t * (2 * d * 3 * d + 3 * d) + t * (2 * d * d + d);
        return projections + 4 * t * t * d + heads * t * t * (causal ? 4 : 3) + t * d;
    }

    private static long head(long t, long d, long c) { return 7 * t * d + t * (2 * d * c + c); }

    private static double[] times(String reply) {
        assertTrue(reply.startsWith("ms "), reply);
        double[] ms = Arrays.stream(reply.substring(3).split(" ")).mapToDouble(Double::parseDouble).toArray();
        assertTrue(Arrays.stream(ms).allMatch(x -> x > 0), reply);
        return ms;
    }
}
