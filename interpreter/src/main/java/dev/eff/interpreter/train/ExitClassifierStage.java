package dev.eff.interpreter.train;

import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.DecoderStack;
import dev.eff.dsl.check.ModelGraph;
import dev.eff.dsl.check.Node;
import dev.eff.interpreter.compile.CompiledModel;
import dev.eff.interpreter.compile.ExitLoss;
import dev.eff.stdlib.Dataset;
import dev.eff.stdlib.Parameters;
import dev.eff.stdlib.layers.Calm;
import dev.eff.stdlib.layers.ExitClassifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;

/**
 * CALM's second training stage ({@code exit(calm, measure = classifier)}): after the statement's training, with every
 * weight of the language model left as it is, the exit classifiers alone (variables of role
 * {@link dev.eff.stdlib.VariableRole#SECOND_STAGE}) learn, by Adam at the exit's {@code classifierLr} for its
 * {@code classifierSteps} steps, to predict whether each exit's greedy token equals the last layer's, under
 * {@link ExitClassifier}'s class-balanced loss. Batches come from the statement's training data, drawn as the main
 * training draws them (its batch size and seed), and the labels from what the trained model itself predicts there.
 */
public final class ExitClassifierStage {
    private ExitClassifierStage() {}

    /**
     * The stage's figures: the mean loss of its first and last {@value #WINDOW} steps, and per exit (1 … L − 1) over the
     * last batch the fraction of positions consistent with the last layer and the classifier's accuracy at ½.
     */
    public record Result(long steps, double firstLoss, double lastLoss, double[] consistent, double[] accuracy) {}

    static final int WINDOW = 10;

    /** Whether the model's exit has a classifier to train after the model. */
    public static boolean applies(ModelGraph graph) {
        return DecoderStack.of(graph).map(s -> exitArgs(graph, s).symbol("measure").equals("classifier")).orElse(false);
    }

    private static Args exitArgs(ModelGraph graph, DecoderStack stack) {
        return ((Node.Apply) graph.nodes().get(stack.exit())).args();
    }

    /**
     * Trains the classifiers of {@code exits} (a graph from {@link dev.eff.interpreter.compile.ModelCompiler#exits}) on
     * {@code data}; stops early, between two steps, once {@code stop} is requested.
     */
    public static Result train(CompiledModel exits, Dataset data, int batch, long seed, StopFlag stop) {
        ModelGraph graph = exits.graph();
        DecoderStack stack = DecoderStack.of(graph).orElseThrow();
        Args args = exitArgs(graph, stack);
        String path = ((Node.Apply) graph.nodes().get(stack.exit())).path();
        Parameters vars = exits.variables();
        INDArray w = vars.get(vars.fullName(path, Calm.CLASSIFIER_W)).array(), b = vars.get(vars.fullName(path, Calm.CLASSIFIER_B)).array();
        int layers = stack.blocks(), classifiers = layers - 1;
        long steps = args.integer("classifierSteps");
        Adam adam = new Adam(args.real("classifierLr"));
        GradientUpdater<?> wUpdater = updater(adam, w), bUpdater = updater(adam, b);
        List<String> wanted = new ArrayList<>();
        for (int i = 1; i <= layers; i++) {
            wanted.add(ExitLoss.stateName(i));
            wanted.add(ExitLoss.tokenName(i));
        }
        BatchOrder order = new BatchOrder(data.size(), batch, seed);
        List<Double> losses = new ArrayList<>();
        double[] consistent = new double[classifiers], accuracy = new double[classifiers];
        for (long step = 0; step < steps && !stop.requested(); step++) {
            Dataset part = data.select(order.next());
            Map<String, INDArray> out = exits.sd().output(exits.feed(part.inputs(), null, false), wanted);
            int[] last = tokens(out.get(ExitLoss.tokenName(layers)));
            double[][][] h = new double[classifiers][][];
            boolean[][] z = new boolean[classifiers][];
            for (int i = 0; i < classifiers; i++) {
                INDArray state = out.get(ExitLoss.stateName(i + 1));
                h[i] = state.reshape(-1, state.size(-1)).castTo(DataType.DOUBLE).toDoubleMatrix();
                z[i] = ExitClassifier.labels(tokens(out.get(ExitLoss.tokenName(i + 1))), last);
            }
            double[][] weights = w.castTo(DataType.DOUBLE).toDoubleMatrix();
            double[] biases = b.castTo(DataType.DOUBLE).toDoubleVector();
            ExitClassifier.Loss loss = ExitClassifier.loss(h, z, weights, biases);
            losses.add(loss.value());
            if (step == steps - 1) measure(h, z, weights, biases, consistent, accuracy);
            INDArray dw = Nd4j.createFromArray(loss.dw()).castTo(w.dataType()), db = Nd4j.createFromArray(loss.db()).castTo(b.dataType());
            wUpdater.applyUpdater(dw, (int) step, 0);
            bUpdater.applyUpdater(db, (int) step, 0);
            w.subi(dw);
            b.subi(db);
        }
        return new Result(losses.size(), mean(losses.subList(0, Math.min(WINDOW, losses.size()))),
                mean(losses.subList(Math.max(0, losses.size() - WINDOW), losses.size())), consistent, accuracy);
    }

    private static GradientUpdater<?> updater(Adam adam, INDArray param) {
        INDArray view = Nd4j.zeros(param.dataType(), 1, adam.stateSize(param.length()));
        GradientUpdater<?> u = adam.instantiate(view, true);
        u.setStateViewArray(view, param.shape(), param.ordering(), true);
        return u;
    }

    private static int[] tokens(INDArray argmax) {
        return argmax.reshape(-1).castTo(DataType.INT32).toIntVector();
    }

    private static void measure(double[][][] h, boolean[][] z, double[][] w, double[] b, double[] consistent, double[] accuracy) {
        for (int i = 0; i < z.length; i++) {
            int positives = 0, right = 0;
            for (int n = 0; n < z[i].length; n++) {
                if (z[i][n]) positives++;
                if (ExitClassifier.confidence(h[i][n], w[i], b[i]) >= 0.5 == z[i][n]) right++;
            }
            consistent[i] = positives / (double) z[i].length;
            accuracy[i] = right / (double) z[i].length;
        }
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
}
