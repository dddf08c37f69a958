/** The parts of jstat 1.9.6 (untyped) the judge uses: its module export is the jStat object itself. */
declare module 'jstat' {
  interface JStat {
    normal: {
      cdf(x: number, mean: number, sd: number): number;
      inv(p: number, mean: number, sd: number): number;
    };
    chisquare: {
      cdf(x: number, dof: number): number;
    };
  }
  const jStat: JStat;
  export default jStat;
}
