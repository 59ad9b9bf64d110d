export const harnesses = [];
