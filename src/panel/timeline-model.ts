/** The panel draws the core's sequence model of a flow (one model for the timeline and the Mermaid export). */
export * from '../core/flows/sequence.ts';
