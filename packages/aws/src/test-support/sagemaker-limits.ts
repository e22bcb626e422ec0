// What SageMaker's model registry refuses, as its API reference (and the AWS::SageMaker::ModelPackage schema)
// gives the limits: the fake model package group answers a request past them with a ValidationException, as
// SageMaker does, so a test on the fake fails where the real call would.

/** CustomerMetadataProperties' characters, for keys and values alike. */
const METADATA_PATTERN = /^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$/u;
/** ModelPackageDescription's characters. */
const DESCRIPTION_PATTERN = /^[\p{L}\p{M}\p{Z}\p{S}\p{N}\p{P}]*$/u;
/** A model package group's name (its ARN is taken too). */
const GROUP_NAME_PATTERN = /^(arn:aws[a-z-]*:sagemaker:[a-z0-9-]*:[0-9]{12}:[a-z-]*\/)?[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
const CLIENT_TOKEN_PATTERN = /^[a-zA-Z0-9-]{1,36}$/;

/** SageMaker's answer to a request it refuses before doing anything. */
export function validationException(message: string): Error {
  return Object.assign(new Error(`1 validation error detected: ${message}`), { name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
}

/** Lengths as SageMaker counts them: in characters (code points), not UTF-16 units. */
const chars = (s: string) => [...s].length;

/** Throws SageMaker's ValidationException for customer metadata it would refuse: 1-50 entries, keys 1-128 and values 1-256 characters of its pattern. */
export function checkCustomerMetadata(props: Record<string, string> | undefined, field = 'customerMetadataProperties'): void {
  if (props === undefined) return;
  const entries = Object.entries(props);
  if (entries.length < 1 || entries.length > 50) throw validationException(`Value at '${field}' failed to satisfy constraint: Map must have length between 1 and 50 (has ${entries.length})`);
  for (const [key, value] of entries) {
    if (chars(key) < 1 || chars(key) > 128 || !METADATA_PATTERN.test(key)) throw validationException(`Value '${key}' at '${field}' failed to satisfy constraint: Map keys must have length 1-128 and match ${METADATA_PATTERN.source}`);
    if (typeof value !== 'string' || chars(value) < 1 || chars(value) > 256 || !METADATA_PATTERN.test(value)) {
      throw validationException(`Value '${String(value)}' at '${field}.${key}' failed to satisfy constraint: Member must have length 1-256 and match ${METADATA_PATTERN.source}`);
    }
  }
}

/** CreateModelPackage's fields the registry sets, checked as SageMaker checks them. */
export function checkCreateModelPackage(input: { ModelPackageGroupName?: string; ModelPackageDescription?: string; ClientToken?: string; CustomerMetadataProperties?: Record<string, string> }): void {
  const group = input.ModelPackageGroupName ?? '';
  if (chars(group) > 170 || !GROUP_NAME_PATTERN.test(group)) throw validationException(`Value '${group}' at 'modelPackageGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern`);
  const description = input.ModelPackageDescription;
  if (description !== undefined && (chars(description) > 1024 || !DESCRIPTION_PATTERN.test(description))) {
    throw validationException(`Value at 'modelPackageDescription' failed to satisfy constraint: Member must have length less than or equal to 1024 and match ${DESCRIPTION_PATTERN.source}`);
  }
  if (input.ClientToken !== undefined && !CLIENT_TOKEN_PATTERN.test(input.ClientToken)) throw validationException(`Value '${input.ClientToken}' at 'clientToken' failed to satisfy constraint`);
  checkCustomerMetadata(input.CustomerMetadataProperties);
}

/** UpdateModelPackage's fields the registry sets; `merged` is the package's metadata after the update (at most 50 entries). */
export function checkUpdateModelPackage(input: { ApprovalDescription?: string; CustomerMetadataProperties?: Record<string, string> }, merged: Record<string, string>): void {
  if (input.ApprovalDescription !== undefined && chars(input.ApprovalDescription) > 1024) {
    throw validationException(`Value at 'approvalDescription' failed to satisfy constraint: Member must have length less than or equal to 1024`);
  }
  checkCustomerMetadata(input.CustomerMetadataProperties);
  const count = Object.keys(merged).length;
  if (count > 50) throw validationException(`the model package would have ${count} customer metadata properties; at most 50 are allowed`);
}
