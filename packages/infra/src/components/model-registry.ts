import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import { physicalName } from '../naming.js';
import { dataStoreOptions, tagsWith, type StackContext } from './common.js';

/** The SageMaker model package group: one model package per registered version, approval by a person. */
export class ModelRegistry extends pulumi.ComponentResource {
  readonly groupName: pulumi.Output<string>;
  readonly groupArn: pulumi.Output<string>;

  constructor(name: string, ctx: StackContext, opts?: pulumi.ComponentResourceOptions) {
    super('mailroute:ml:ModelRegistry', name, {}, opts);
    const groupName = physicalName(ctx.config, 'email-classifier');
    const group = new aws.sagemaker.ModelPackageGroup(
      `${name}-group`,
      {
        modelPackageGroupName: groupName,
        modelPackageGroupDescription: 'mailroute multi-task email classifier; approve to deploy',
        tags: tagsWith(ctx, groupName),
      },
      { parent: this, ...dataStoreOptions(ctx.config) },
    );
    this.groupName = group.modelPackageGroupName;
    this.groupArn = group.arn;
    this.registerOutputs({ groupName: this.groupName, groupArn: this.groupArn });
  }
}
