package dev.danet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;

/**
 * Children run one after another, like torch.nn.Sequential. Children are named "0", "1",
 * ... by default so that parameter names follow PyTorch's layout.
 */
public final class Sequence extends TorchBlock {

    /** Appends a child named by its position, as torch.nn.Sequential names them. */
    public Sequence add(Block block) {
        return add(String.valueOf(children.size()), block);
    }

    public Sequence add(String name, Block block) {
        addChildBlock(name, block);
        return this;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray input = inputs.singletonOrThrow();
        NDArray x = input;
        for (int i = 0; i < children.size(); i++) {
            Block child = children.get(i).getValue();
            Block following = i + 1 < children.size() ? children.get(i + 1).getValue() : null;
            NDArray next;
            if (following != null && ConvBatchNorm.foldable(child, following)) {
                next = ConvBatchNorm.apply(child, following, ps, x, training);
                i++;
            } else {
                next = apply(child, ps, x, training);
            }
            release(ps, x, input, next);
            x = next;
        }
        return new NDList(x);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape shape = inputShapes[0];
        for (Pair<String, Block> child : children) {
            shape = outputShape(child.getValue(), shape);
        }
        return new Shape[] {shape};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType type, Shape... inputShapes) {
        Shape shape = inputShapes[0];
        for (Pair<String, Block> child : children) {
            shape = init(child.getValue(), manager, type, shape);
        }
    }
}
