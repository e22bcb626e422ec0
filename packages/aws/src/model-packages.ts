import { ListModelPackagesCommand, type ModelPackageSummary, type SageMakerClient } from '@aws-sdk/client-sagemaker';

/**
 * The versions of a model package group, newest first, page by page (every page is followed: SageMaker
 * may cut a page before it filters by status, so a page can be empty while later ones hold versions).
 */
export async function* modelPackageSummaries(sagemaker: SageMakerClient, group: string, status?: 'Approved'): AsyncGenerator<ModelPackageSummary> {
  let token: string | undefined;
  do {
    const page = await sagemaker.send(
      new ListModelPackagesCommand({
        ModelPackageGroupName: group,
        ...(status ? { ModelApprovalStatus: status } : {}),
        ModelPackageType: 'Versioned',
        SortBy: 'CreationTime',
        SortOrder: 'Descending',
        MaxResults: 100,
        ...(token ? { NextToken: token } : {}),
      }),
    );
    yield* page.ModelPackageSummaryList ?? [];
    token = page.NextToken;
  } while (token);
}
