package dev.danet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Map;

/**
 * How a freshly built network's head (everything outside the backbone: {@code head.*} and the
 * auxiliary {@code auxlayer.*}; not the Attention-to-Scale head) starts training. The backbone
 * always starts as torchvision initialises a ResNet (Kaiming normal, fan-out, ReLU gain), batch
 * norms at weight 1 and bias 0, the attention scalars at 0.
 */
public enum HeadInit {

    /**
     * The head's convolutions like the backbone's: Kaiming normal with fan-out and ReLU gain,
     * biases 0. What every run got before this setting existed. For PAM's 1x1 query and key
     * projections it is large (std sqrt(2 / (C/8)), 0.71 at the demo's C/8 = 4, against the
     * reference's 0.10): the rows of the attention map are one-hot from the first step, the
     * saturated softmax passes the projections almost no gradient, and they never learn
     * (docs/training.md, "Why DANet training was unstable").
     */
    KAIMING_FAN_OUT("kaiming-fan-out"),

    /**
     * PyTorch's default for {@code nn.Conv2d}: weights and biases uniform in +-1/sqrt(fan-in)
     * (kaiming_uniform with a = sqrt(5)). The reference DANet builds its head from plain
     * {@code nn.Conv2d} layers and never re-initialises them, and mmsegmentation's PAM
     * projections are plain {@code nn.Conv2d} too, so this is how they start. The default since
     * the comparison in docs/training.md.
     */
    PYTORCH_DEFAULT("pytorch-default");

    private final String id;

    HeadInit(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }

    @JsonCreator
    public static HeadInit parse(String text) {
        for (HeadInit init : values()) {
            if (init.id.equalsIgnoreCase(text.trim())) {
                return init;
            }
        }
        throw new IllegalArgumentException("unknown head initialisation '" + text
                + "': use pytorch-default or kaiming-fan-out");
    }

    /** Whether a parameter is one of the head's that this setting initialises. */
    static boolean isHead(String name) {
        return name.startsWith("head.") || name.startsWith("auxlayer.");
    }

    /**
     * Re-draws the head's convolution weights and biases of a freshly built network (the
     * engine's random generator, so a seeded run draws the same); {@link #KAIMING_FAN_OUT} leaves
     * the network as built. Batch norms and attention scalars are not touched.
     */
    public void apply(Network network) {
        if (this == KAIMING_FAN_OUT) {
            return;
        }
        Map<String, Parameter> parameters = network.parameters();
        NDManager manager = network.manager();
        parameters.forEach((name, p) -> {
            if (!isHead(name) || (p.getType() != Parameter.Type.WEIGHT && p.getType() != Parameter.Type.BIAS)) {
                return;
            }
            Parameter weight = p.getType() == Parameter.Type.WEIGHT ? p
                    : parameters.get(name.substring(0, name.length() - "bias".length()) + "weight");
            Shape shape = weight.getArray().getShape();
            if (shape.dimension() < 2) {
                return;
            }
            long fanIn = shape.size() / shape.get(0);
            float bound = (float) (1 / Math.sqrt(fanIn));
            NDArray target = p.getArray();
            try (NDArray drawn = manager.randomUniform(-bound, bound, target.getShape(), target.getDataType())) {
                ParameterValues.assign(target, drawn);
            }
        });
    }

    @Override
    public String toString() {
        return id.toLowerCase(Locale.ROOT);
    }
}
