package dev.danet.synth;

/**
 * The demo scene's vehicle cue: a zone sign near one side edge, a blue disc with a car in car
 * zones, a yellow diamond with a lorry in truck zones. Same place and size for both faces; drawn
 * after everything else, so nothing hides it.
 */
final class ZoneSign {

    private static final EdgeSign.Placement PLACEMENT = new EdgeSign.Placement(new StreetLayout.Range(0.07, 0.15), 0.9,
            new StreetLayout.Range(0.08, 0.15), new StreetLayout.Range(2.3, 3.0));

    private final int side;
    private final EdgeSign sign;
    private final int[] box = new int[4];

    /** Samples the sign on a side (0 left, 1 right). */
    ZoneSign(SceneRandom rng, StreetLayout street, int side) {
        this.side = side;
        sign = EdgeSign.sample(rng, street, side, PLACEMENT);
        box[0] = Math.max(0, (int) Math.floor(sign.x() - sign.size() / 2) - 1);
        box[1] = Math.max(0, (int) Math.floor(sign.plateY() - sign.size() / 2) - 1);
        box[2] = Math.min(street.width, (int) Math.ceil(sign.x() + sign.size() / 2) + 1);
        box[3] = Math.min(street.height, (int) Math.ceil(sign.baseY()) + 1);
    }

    /** 0 when the sign stands near the left edge, 1 the right. */
    int side() {
        return side;
    }

    /** Plate and post, {x0, y0, x1, y1} with x1 and y1 exclusive, grown by a pixel for the camera blur. */
    int[] box() {
        return box.clone();
    }

    /** Horizontal pixels between the sign's box and a screen box on the image's other side. */
    double gapTo(ScreenBox b) {
        return side == 0 ? b.x0() - box[2] : box[0] - b.x1();
    }

    void draw(Canvas canvas, StreetCamera cam, SyntheticClass vehicleClass) {
        Sprites.SignType type = vehicleClass == SyntheticClass.CAR ? Sprites.SignType.CAR_ZONE : Sprites.SignType.TRUCK_ZONE;
        Sprites.signPost(canvas, sign.x(), sign.baseY(), cam.scale(sign.z()), sign.plateY(), sign.size(), type,
                SyntheticClass.POLE.labelId(), SyntheticClass.TRAFFIC_SIGN.labelId(), sign.seed());
    }
}
