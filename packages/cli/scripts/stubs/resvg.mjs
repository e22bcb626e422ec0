// Stands in for @resvg/resvg-js (native) in the container's bundle: serving and training import evaluation's
// metrics, and evaluation's package also holds the PNG report writer, which neither the server nor the training
// job runs.
export class Resvg {
  constructor() {
    throw new Error('PNG rendering (@resvg/resvg-js) is not part of the container\'s bundle');
  }
}
