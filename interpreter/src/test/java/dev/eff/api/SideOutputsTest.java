package dev.eff.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A model with side outputs: the listener sees each step's auxiliary losses, the results hold them and the probes. */
class SideOutputsTest {

    @Test
    void auxiliaryLossesAndProbesReachTheHost() throws Exception {
        Script s = Eff.compile("moe.eff", """
                data recall = associativeRecall(vocab = 16, pairs = 2, examples = 200, seed = 1)
                model lm {
                    embed(vocab = 16, dim = 8, position = learned)
                    residual { layerNorm(); moe(experts = 2, hidden = 8, route = tokenChoice(k = 1)) }
                    pool(last)
                    logits(16)
                }
                train lm on recall { steps = 3, batch = 8, loss = crossEntropy() + 0.01 * aux.balance }
                """);
        assertTrue(s.ok(), s.render());
        List<Map<String, Double>> seen = new ArrayList<>();
        Results r = s.run(new Listener() {
            @Override
            public void step(JobInfo job, long step, long total, double loss, Map<String, Double> aux, double seconds) {
                seen.add(aux);
            }
        });
        assertEquals(3, seen.size());
        JobResult train = r.jobs().get(0);
        double[] balance = train.auxiliaries().get("balance");
        assertEquals(3, balance.length, train.auxiliaries().keySet().toString());
        for (int i = 0; i < 3; i++) assertEquals(balance[i], seen.get(i).get("balance"), 1e-6, "step " + (i + 1));
        assertTrue(train.probes().keySet().stream().anyMatch(k -> k.endsWith("/load")), train.probes().keySet().toString());
    }
}
