// Placeholder until the generic timer lands.
export class GenericTimer {}
