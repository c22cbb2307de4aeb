package dev.eff.interpreter.compile;

import dev.eff.dsl.check.SideOutput;
import dev.eff.stdlib.ForwardingLowering;
import dev.eff.stdlib.Lowering;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The side outputs the layers of one graph emit while they lower: each node's {@link Lowering} is wrapped by
 * {@link #recording} so what it emits is checked against what its {@code sideOutputs(args)} declared and collected
 * here, whatever {@link LoweringFactory} made it. A training graph then sums each auxiliary loss over the layers
 * that emit it ({@link #auxTotals}); probes stay per layer.
 */
final class SideOutputs {

    /** One emitted value: the layer's path, the side output's role and name, and the graph variable holding it. */
    record Emitted(String layer, SideOutput.Role role, String name, SDVariable value) {}

    private final List<Emitted> emitted = new ArrayList<>();

    /** {@code inner}, with {@code aux} and {@code probe} recorded here (and passed on) once checked against {@code declared}. */
    Lowering recording(Lowering inner, String layer, List<SideOutput> declared) {
        return new Recording(inner, layer, declared);
    }

    /**
     * Fails when a layer declared a side output it did not emit: a component bug the checker cannot see. An
     * inference graph may leave out auxiliary losses, which it never computes.
     */
    void requireDeclared(String layer, List<SideOutput> declared, boolean inference) {
        for (SideOutput s : declared) {
            if (inference && s.role() == SideOutput.Role.AUX) continue;
            boolean found = emitted.stream().anyMatch(e -> e.layer().equals(layer) && e.role() == s.role() && e.name().equals(s.name()));
            if (!found) {
                throw new IllegalStateException("layer " + layer + " declares " + s.role().name().toLowerCase(java.util.Locale.ROOT)
                        + " '" + s.name() + "' but its lowering did not emit it");
            }
        }
    }

    /** Each auxiliary loss summed over the layers that emit it, as a scalar variable named {@code aux/NAME}. */
    Map<String, SDVariable> auxTotals(SameDiff sd) {
        Map<String, List<SDVariable>> byName = new LinkedHashMap<>();
        for (Emitted e : emitted) if (e.role() == SideOutput.Role.AUX) byName.computeIfAbsent(e.name(), k -> new ArrayList<>()).add(e.value());
        Map<String, SDVariable> out = new LinkedHashMap<>();
        byName.forEach((name, terms) -> {
            SDVariable total = terms.get(0).sum();
            for (int i = 1; i < terms.size(); i++) total = total.add(terms.get(i).sum());
            out.put(name, sd.identity(sd.generateNewVarName("aux/" + name, 0), total));
        });
        return out;
    }

    /** Every probe, per layer, in lowering order. */
    List<CompiledModel.Probe> probes() {
        List<CompiledModel.Probe> out = new ArrayList<>();
        for (Emitted e : emitted) if (e.role() == SideOutput.Role.PROBE) out.add(new CompiledModel.Probe(e.layer(), e.name(), e.value().name()));
        return out;
    }

    private final class Recording extends ForwardingLowering {
        private final String layer;
        private final List<SideOutput> declared;

        Recording(Lowering inner, String layer, List<SideOutput> declared) {
            super(inner);
            this.layer = layer;
            this.declared = declared;
        }


        @Override
        public void aux(String name, SDVariable scalar) {
            // An inference graph computes no auxiliary loss: the ops a component built for it are never run.
            if (!inference()) record(SideOutput.Role.AUX, name, scalar);
            inner.aux(name, scalar);
        }

        @Override
        public void probe(String name, SDVariable value) {
            record(SideOutput.Role.PROBE, name, value);
            inner.probe(name, value);
        }

        private void record(SideOutput.Role role, String name, SDVariable value) {
            boolean ok = declared.stream().anyMatch(s -> s.role() == role && s.name().equals(name));
            if (!ok) {
                throw new IllegalStateException("layer " + layer + " emitted " + role.name().toLowerCase(java.util.Locale.ROOT)
                        + " '" + name + "' that its sideOutputs(args) does not declare");
            }
            if (emitted.stream().anyMatch(e -> e.layer().equals(layer) && e.role() == role && e.name().equals(name))) {
                throw new IllegalStateException("layer " + layer + " emitted '" + name + "' twice");
            }
            emitted.add(new Emitted(layer, role, name, value));
        }
    }
}
