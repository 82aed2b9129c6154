package io.streamingetl.shipments;

import io.streamingetl.contract.ChangeHeaders;

/**
 * A shipped order's version, the one its document is written at: a function of the source positions of the two
 * changes it is made of (its order's and its shipment's, both MongoDB positions below 2^52) and of nothing else, so
 * a replay, a reset, a rebuild or any reprocessing of older inputs gives an equal or lower version, never a higher
 * one; the same inputs give the same version, with the same content or newer enrichment.
 *
 * <p>Pairs rank first by the newer of their two positions, then by how close the older one is to it: of the pairs a
 * shipment makes with every version of its order still in the window, the newest order wins; of the pairs an order
 * makes with its shipments, the newest shipment. Both fit in one number as {@code newer << 11 | closeness}, where
 * closeness falls from 2047 (the same position) by one step each time the distance grows by 1.8 % (39 steps per
 * doubling): distances closer than that tie, and of tied pairs the later written wins (the sink's batch rule, the
 * engine's {@code external_gte}).
 */
final class ShippedOrderVersion {
    static final int CLOSENESS_BITS = 11;
    private static final long MAX_CLOSENESS = (1L << CLOSENESS_BITS) - 1;
    /** Steps per doubling of the distance: 52 doublings (the widest distance) stay within {@link #MAX_CLOSENESS}. */
    private static final double STEPS_PER_DOUBLING = 39;
    /** Positions are below it ({@link ChangeHeaders#mongoPosition}); one above was written as seconds << 32 | ordinal. */
    private static final long POSITION_LIMIT = 1L << (32 + ChangeHeaders.MONGO_ORDINAL_BITS);

    private ShippedOrderVersion() {
    }

    /** The version of the pair of an order at {@code orderPosition} and a shipment at {@code shipmentPosition}; 0 when neither is known. */
    static long of(long orderPosition, long shipmentPosition) {
        long order = current(orderPosition);
        long shipment = current(shipmentPosition);
        long newer = Math.max(order, shipment);
        long older = Math.min(order, shipment);
        return newer == 0 ? 0 : newer << CLOSENESS_BITS | closeness(newer - older);
    }

    /** From {@link #MAX_CLOSENESS} at distance 0 down, a step per 1.8 % more distance (deterministic: StrictMath). */
    static long closeness(long distance) {
        long steps = (long) Math.floor(STEPS_PER_DOUBLING * StrictMath.log1p(distance) / StrictMath.log(2));
        return MAX_CLOSENESS - Math.min(MAX_CLOSENESS, steps);
    }

    /** A position as it is written now; one of a record captured before (seconds << 32 | ordinal) converted. */
    static long current(long position) {
        if (position < 0) {
            return 0;
        }
        return position >= POSITION_LIMIT ? ChangeHeaders.mongoPosition(position >>> 32, position & 0xFFFF_FFFFL) : position;
    }
}
