package dev.eff.dsl.check;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where the early exits of a model with an {@link ExitSpec} layer are: the stem (the nodes before the first block,
 * an embedding), the blocks of the decoder stack (the iterations of the top-level {@code repeat}s, whose paths start
 * with {@code blockK/}), and the head (every node after the last block: the final norm, the exit itself, the output
 * head). Exit i applies the head to the output of block i, so the last exit is the model itself. Node ranges are
 * half-open indices into the model's node list: block i spans {@code blockStarts[i] … blockEnds[i] - 1}.
 */
public record DecoderStack(int exit, List<Integer> blockStarts, List<Integer> blockEnds, String stemOutput,
                           List<String> states) {

    public DecoderStack {
        blockStarts = List.copyOf(blockStarts);
        blockEnds = List.copyOf(blockEnds);
        states = List.copyOf(states);
    }

    /** The number of blocks, which is the number of exits. */
    public int blocks() { return states.size(); }

    /** The first node of the head (the node after the last block). */
    public int headStart() { return blockEnds.get(blockEnds.size() - 1); }

    /** The exit node of a checked model, if it has one. */
    public static Optional<DecoderStack> of(ModelGraph g) {
        for (int i = 0; i < g.nodes().size(); i++) {
            if (g.nodes().get(i) instanceof Node.Apply a && a.spec() instanceof ExitSpec) {
                try {
                    return Optional.of(of(g.nodes(), i, g.inputs().size() == 1 ? g.inputs().get(0).name() : null));
                } catch (ShapeException e) {
                    throw new IllegalStateException("a checked model's exit does not fit its stack: " + e.getMessage());
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The stack before the exit at {@code nodes[exit]}, or why there is none: no causal block stack before it, a
     * block reading values outside itself, no layer after it, a second exit, a head that is not a plain chain.
     * {@code input} is the id of the model's only input (null when it has several).
     */
    public static DecoderStack of(List<Node> nodes, int exit, String input) throws ShapeException {
        String title = ((Node.Apply) nodes.get(exit)).spec().signature().title();
        String shapeHint = "write it as the card does: repeat(n) { residual { ...; attention(..., causal = true) } ... }, "
                + "then layerNorm(); " + title + "; logits(vocab)";
        for (int i = 0; i < nodes.size(); i++) {
            if (i != exit && nodes.get(i) instanceof Node.Apply a && a.spec() instanceof ExitSpec) {
                if (i < exit) throw new ShapeException("a model has one early exit; another is at " + where(a), "remove one of them");
            }
        }
        if (exit == nodes.size() - 1) {
            throw new ShapeException("nothing comes after it: the exits share the layers after it (the output head)", shapeHint);
        }
        List<Integer> starts = new ArrayList<>(), ends = new ArrayList<>();
        String current = null;
        for (int i = 0; i < exit; i++) {
            String block = block(nodes.get(i));
            if (block == null) {
                if (current != null) { current = null; ends.add(i); }
                else if (!starts.isEmpty()) {
                    throw new ShapeException("the layers between the blocks, such as " + where(nodes.get(i))
                            + ", leave no single decoder stack before it", shapeHint);
                }
            } else if (!block.equals(current)) {
                if (current != null) ends.add(i);
                else if (!starts.isEmpty()) {
                    throw new ShapeException("the layers between the blocks leave no single decoder stack before it", shapeHint);
                }
                starts.add(i);
                current = block;
            }
        }
        if (current != null) ends.add(exit);
        if (starts.size() < 2) {
            throw new ShapeException("needs a decoder stack of at least two blocks before it (a repeat of two or more), found "
                    + starts.size(), shapeHint);
        }
        boolean causal = false;
        String before = starts.get(0) == 0 ? input : nodes.get(starts.get(0) - 1).output();
        String stem = before;
        List<String> states = new ArrayList<>();
        for (int b = 0; b < starts.size(); b++) {
            Set<String> inside = new HashSet<>();
            inside.add(before);
            for (int i = starts.get(b); i < ends.get(b); i++) {
                Node n = nodes.get(i);
                for (String read : reads(n)) {
                    if (!inside.contains(read)) {
                        throw new ShapeException(where(n) + " reads a value from outside its block, so the block cannot run on "
                                + "its own at an exit", "a block may read only its input and its own values");
                    }
                }
                inside.add(n.output());
                if (n instanceof Node.Apply a && a.spec().causal(a.args())) causal = true;
            }
            before = nodes.get(ends.get(b) - 1).output();
            states.add(before);
            if (!nodes.get(ends.get(b) - 1).outputShape().sameAs(nodes.get(ends.get(0) - 1).outputShape())) {
                throw new ShapeException("the blocks' outputs differ in shape, so one head cannot read them all", shapeHint);
            }
        }
        if (!causal) throw new ShapeException("the decoder stack before it is not causal: early exit decodes token by token",
                "use attention(..., causal = true) in its blocks");
        String stream = before;
        for (int i = ends.get(ends.size() - 1); i < nodes.size(); i++) {
            Node n = nodes.get(i);
            if (!(n instanceof Node.Apply a) || !a.input().equals(stream) || !a.refs().isEmpty()) {
                throw new ShapeException("the layers after the last block must be a plain chain (a norm, this exit, the "
                        + "output head), but " + where(n) + " is not", shapeHint);
            }
            stream = n.output();
        }
        return new DecoderStack(exit, starts, ends, stem, states);
    }

    /** {@code blockK} for a node of a top-level repeat's iteration, else null. */
    private static String block(Node n) {
        String path = n instanceof Node.Apply a ? a.path() : ((Node.Residual) n).path();
        int slash = path.indexOf('/');
        String first = slash < 0 ? path : path.substring(0, slash);
        return slash > 0 && first.matches("block\\d+") ? first : null;
    }

    private static List<String> reads(Node n) {
        if (n instanceof Node.Residual r) return List.of(r.input(), r.branch());
        Node.Apply a = (Node.Apply) n;
        List<String> out = new ArrayList<>(a.refs().values());
        out.add(a.input());
        return out;
    }

    private static String where(Node n) {
        String path = n instanceof Node.Apply a ? a.path() : ((Node.Residual) n).path();
        return path + " at " + n.span().line() + ":" + n.span().column();
    }
}
