// Seeds and sizes of the recorded V8 test vectors (shared by the vector maker and the tests).
export const VECTOR_SEED = 0x5eed_0015;
export const VECTOR_COUNT = 2000;
export const WORKERD_SEED = 0x0e44_0010;
export const WORKERD_COUNT = 400;
