// The public pages: the anonymous report form and its status check. These paths are served
// by their own small module (src/public/), which loads no staff code and calls no staff API;
// everything else is the staff app.

/** The short address given to the public. */
export const kReportPath = '/report';
export const kReportStatusPath = '/report/status';

/** True for /report and anything below it (the public module answers these). */
export function isPublicPath(pathname: string): boolean {
  return pathname === kReportPath || pathname.startsWith(`${kReportPath}/`);
}
