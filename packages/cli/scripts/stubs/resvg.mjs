// Stands in for @resvg/resvg-js (native) in the serve bundle: serving imports evaluation's metrics, and
// evaluation's package also holds the PNG report writer, which the server never runs.
export class Resvg {
  constructor() {
    throw new Error('PNG rendering (@resvg/resvg-js) is not part of the serve bundle');
  }
}
