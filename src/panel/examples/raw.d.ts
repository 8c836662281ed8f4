/** Vite's `?raw` imports: the file's text (used for the bundled HAR examples). */
declare module '*.har?raw' {
  const text: string;
  export default text;
}
