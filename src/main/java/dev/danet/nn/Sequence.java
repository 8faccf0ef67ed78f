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
import java.util.List;

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
        return new NDList(runInTurn(children.values(), ps, inputs.singletonOrThrow(), training));
    }

    /**
     * The blocks one after another (a convolution and the batch norm after it as one step), each
     * intermediate output released once the next block has read it; the input is left alone.
     */
    static NDArray runInTurn(List<Block> blocks, ParameterStore ps, NDArray input, boolean training) {
        NDArray x = input;
        for (int i = 0; i < blocks.size(); i++) {
            Block block = blocks.get(i);
            Block following = i + 1 < blocks.size() ? blocks.get(i + 1) : null;
            NDArray next;
            if (following != null && ConvBatchNorm.foldable(block, following)) {
                next = ConvBatchNorm.apply(block, following, ps, x, training);
                i++;
            } else {
                next = apply(block, ps, x, training);
            }
            release(ps, x, input, next);
            x = next;
        }
        return x;
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
