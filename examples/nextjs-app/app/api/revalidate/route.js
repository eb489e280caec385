import { revalidatePath, revalidateTag } from 'next/cache';

/**
 * POST /api/revalidate?tag=products expires the tag's entries at once on every instance;
 * POST /api/revalidate?path=/products expires that path's page.
 */
export async function POST(request) {
  const { searchParams } = new URL(request.url);
  const tag = searchParams.get('tag');
  const path = searchParams.get('path');
  if (tag) revalidateTag(tag, { expire: 0 });
  if (path) revalidatePath(path);
  return Response.json({ revalidated: { tag, path } });
}
