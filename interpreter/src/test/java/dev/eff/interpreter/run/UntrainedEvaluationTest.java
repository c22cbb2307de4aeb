package dev.eff.interpreter.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.eff.dsl.check.CheckedProgram;
import dev.eff.dsl.check.EvalJob;
import dev.eff.dsl.check.TrainJob;
import dev.eff.interpreter.Fixtures;
import dev.eff.interpreter.train.Evaluator;
import dev.eff.stdlib.metrics.Accuracy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The checker warns that a model evaluated before its training is evaluated "with its initial weights": those are
 * the weights its train statement starts from (that statement's seed), not another initialisation.
 */
class UntrainedEvaluationTest {
    @Test
    void evaluatingBeforeTrainingUsesTheInitialWeightsOfTheTrainStatementsSeed(@TempDir Path dir) throws Exception {
        CheckedProgram p = RunnerTest.program("test", true);
        TrainJob train = (TrainJob) p.jobs().get(1);
        TrainJob seeded = new TrainJob(train.span(), train.model(), train.data(), train.split(), train.optimizer(),
                train.batch(), train.steps(), 0, train.loss(), 77, null);
        EvalJob eval = (EvalJob) p.jobs().get(0);
        var program = new CheckedProgram(p.constants(), p.data(), p.models(), List.of(eval, seeded));
        RunReport r = RunnerTest.runner().run(program, RunnerTest.options(dir, 1), RunEvents.NONE);

        assertEquals(accuracyOfInitialWeights(train, 77, dir), r.jobs().get(0).metrics());
        assertNotEquals(accuracyOfInitialWeights(train, 0, dir), r.jobs().get(0).metrics(), "seeds tell apart here");
    }

    static Map<String, Double> accuracyOfInitialWeights(TrainJob train, long seed, Path dir) throws Exception {
        var initial = Fixtures.COMPILER.forward(train.model(), Fixtures.SCHEMA, seed, DataType.FLOAT);
        return new Evaluator().evaluate(initial, new dev.eff.interpreter.TestBlobs().load(null, "test", dir), 7,
                List.of(new Evaluator.Request("accuracy", new Accuracy(), Fixtures.call("accuracy", Map.of()).asArgs())),
                Fixtures.SCHEMA.classes()).metrics();
    }
}
